/* The daily retention job: removes each tenant's audit entries older than its retention period. */
import jobs from '#services/jobs'
import { pruneAuditLog } from '#services/audit_integrity_service'

export const PRUNE_AUDIT_JOB = 'kernel:prune_audit_log'

jobs.define(PRUNE_AUDIT_JOB, async ({ tenantId }) => {
  await pruneAuditLog(tenantId)
}, { schedule: '23 3 * * *' })
