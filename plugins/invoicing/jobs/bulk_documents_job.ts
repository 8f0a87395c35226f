/* invoicing:bulk_documents — one bulk action (finalise, send, mark sent, ZIP, delete, CSV) over many documents */
import type { JobContext, JobPayload } from '#services/jobs'
import { runBulk } from '#plugins/invoicing/services/bulk_documents'

export default function bulkDocumentsJob(payload: JobPayload, ctx: JobContext) {
  return runBulk(payload as JobPayload & { operationId: number }, ctx)
}
