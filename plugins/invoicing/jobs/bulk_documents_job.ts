/* invoicing:bulk_documents — one bulk action (finalise, send, mark sent, ZIP, delete, CSV) over many documents */
import type { JobContext } from '#services/jobs'
import { runBulk } from '#plugins/invoicing/services/bulk_documents'

export default function bulkDocumentsJob(payload: { tenantId: number; operationId: number }, ctx: JobContext) {
  return runBulk(payload, ctx)
}
