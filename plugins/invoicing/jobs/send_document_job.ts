/* invoicing:send_document — mails a document with its PDF and public link, then marks it sent */
import type { JobContext, JobPayload } from '#services/jobs'
import { sendDocument, type SendPayload } from '#plugins/invoicing/services/document_delivery'

export default function sendDocumentJob(payload: JobPayload, ctx: JobContext) {
  return sendDocument(payload as SendPayload, ctx)
}
