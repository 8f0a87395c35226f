/*
| A tenant's admin policies: how long its audit log is kept and its API rate limits (null means
| the installation default). One row per tenant, created on first save.
*/
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import { audit, dbStamp, diff } from '#services/audit_service'

export const DEFAULT_RETENTION_DAYS = 365

export interface AdminPolicy {
  auditRetentionDays: number
  apiRateLimitPerToken: number | null
  apiRateLimitPerIp: number | null
}

export async function adminPolicyOf(tenantId: number): Promise<AdminPolicy> {
  const row = await db.from('tenant_admin_policies').where('tenant_id', tenantId).first()
  return {
    auditRetentionDays: row ? Number(row.audit_retention_days) : DEFAULT_RETENTION_DAYS,
    apiRateLimitPerToken: row?.api_rate_limit_per_token ?? null,
    apiRateLimitPerIp: row?.api_rate_limit_per_ip ?? null,
  }
}

export async function retentionDaysOf(tenantId: number) {
  return (await adminPolicyOf(tenantId)).auditRetentionDays
}

export async function updateAdminPolicy(tenantId: number, next: AdminPolicy) {
  const before = await adminPolicyOf(tenantId)
  const values = {
    audit_retention_days: next.auditRetentionDays,
    api_rate_limit_per_token: next.apiRateLimitPerToken,
    api_rate_limit_per_ip: next.apiRateLimitPerIp,
  }
  const stamp = dbStamp(db.connection(), DateTime.now())
  const updated = await db.from('tenant_admin_policies').where('tenant_id', tenantId).update({ ...values, updated_at: stamp })
  if (!Number(Array.isArray(updated) ? updated[0] : updated)) {
    await db.insertQuery().table('tenant_admin_policies').insert({ tenant_id: tenantId, ...values, created_at: stamp, updated_at: stamp })
  }
  /* "token" in a key would be redacted by the audit log: name the limit by what it counts */
  const auditView = (p: AdminPolicy) => ({
    auditRetentionDays: p.auditRetentionDays,
    apiLimitPerCredential: p.apiRateLimitPerToken,
    apiLimitPerIp: p.apiRateLimitPerIp,
  })
  const changes = diff(auditView(before), auditView(next))
  if (Object.keys(changes.after).length) {
    await audit({ action: 'tenant.admin_policy_updated', tenantId, subjectType: 'tenant', subjectId: tenantId, ...changes })
  }
  return changes
}
