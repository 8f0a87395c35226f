/* payments:charge_invoice — charges a due invoice off-session to the client's default method (idempotent) */
import type { JobPayload } from '#services/jobs'
import { chargeInvoice } from '#plugins/payments/services/auto_billing'

export default async function chargeInvoiceJob(payload: JobPayload) {
  await chargeInvoice(payload.tenantId, Number(payload.invoiceId))
}
