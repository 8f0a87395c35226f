/*
| The invoicing plugin's service API for other plugins (the only module they may import).
| Payments plugins record gateway payments and refunds here; portals look invoices up by their
| public token or id.
*/
import Document, { type DocumentStatus, type DocumentType } from './models/document.js'
import type Payment from './models/payment.js'
import { findByPublicToken, publicPath } from './services/documents_tokens.js'
import {
  recordPayment as ledgerRecordPayment,
  refundPayment as ledgerRefundPayment,
  type RecordPaymentInput,
  type RefundInput,
} from './services/ledger.js'
import { today } from './services/numbering.js'

export type { DocumentEvent, PaymentEvent, RecurringDueEvent } from './hooks.js'
export type { DocumentStatus, DocumentType, RecordPaymentInput, RefundInput }
export type { PaymentMethod } from './models/payment.js'

export interface InvoiceSummary {
  id: number
  tenantId: number
  type: DocumentType
  number: string | null
  status: DocumentStatus
  overdue: boolean
  clientId: number
  clientName: string
  currency: string
  total: number
  amountPaid: number
  amountCredited: number
  balanceDue: number
  issueDate: string | null
  dueDate: string | null
  /** path of the public page on the tenant host, null for drafts */
  publicPath: string | null
}

export function summarize(doc: Document): InvoiceSummary {
  return {
    id: doc.id,
    tenantId: doc.tenantId,
    type: doc.type,
    number: doc.number,
    status: doc.status,
    overdue: doc.isOverdue(today()),
    clientId: doc.clientId,
    clientName: doc.clientName,
    currency: doc.currency,
    total: doc.total,
    amountPaid: doc.amountPaid,
    amountCredited: doc.amountCredited,
    balanceDue: doc.balanceDue,
    issueDate: doc.issueDate,
    dueDate: doc.dueDate,
    publicPath: publicPath(doc),
  }
}

function summarizePayment(payment: Payment) {
  return {
    id: payment.id,
    kind: payment.kind,
    clientId: payment.clientId,
    amount: payment.amount,
    currency: payment.currency,
    method: payment.method,
    fee: payment.fee,
    paidOn: payment.paidOn,
    gateway: payment.gateway,
    gatewayReference: payment.gatewayReference,
  }
}

/**
 * Records a payment against an invoice (status → partially_paid / paid, hooks fire); any excess
 * becomes client credit. Recording the same `gateway` + `gatewayReference` again returns the first.
 */
export async function recordPayment(input: RecordPaymentInput) {
  const result = await ledgerRecordPayment(input)
  return {
    payment: summarizePayment(result.payment),
    invoice: result.invoice ? summarize(result.invoice) : null,
    applied: result.applied,
    credited: result.credited,
    duplicate: result.duplicate,
  }
}

export async function refundPayment(input: RefundInput) {
  const result = await ledgerRefundPayment(input)
  return { refund: summarizePayment(result.refund), reopenedInvoiceIds: result.reopened.map((r) => r.invoice.id) }
}

/** The issued document a public link token belongs to, in the given tenant, or null */
export async function findInvoiceForPublicToken(tenantId: number, token: string) {
  const doc = await findByPublicToken(tenantId, token)
  return doc ? summarize(doc) : null
}

/** A document of the tenant by id, or null (another tenant's id finds nothing) */
export async function invoiceSummary(tenantId: number, id: number) {
  const doc = await Document.forTenant(tenantId).where('id', id).first()
  return doc ? summarize(doc) : null
}

/** The billing email of a client of the tenant (receipts from payment plugins), or null */
export async function clientEmail(tenantId: number, clientId: number) {
  const { default: Client } = await import('./models/client.js')
  const client = await Client.forTenant(tenantId).where('id', clientId).first()
  return client?.email ?? null
}

/*
| Recurring profiles and one-off documents for other plugins (the payments plugin's subscriptions).
| They run in the tenant's context (request or job), like the invoicing services they call.
*/
export interface RecurringProfileInput {
  clientId: number
  name: string
  currency: string
  /** one line per profile: what the client is billed each period, in minor units, no tax rate */
  description: string
  unitPrice: number
  interval: 'weekly' | 'monthly' | 'quarterly' | 'yearly' | 'custom'
  intervalDays: number | null
  startOn: string
  endOn?: string | null
}

function recurringSummary(p: import('./models/recurring_profile.js').default) {
  return { id: p.id, status: p.status, nextRunOn: p.nextRunOn, lastRunOn: p.lastRunOn, endOn: p.endOn }
}

const templateLine = (description: string, unitPrice: number) => [{ productId: null, description, quantity: 10_000, unit: 'C62', unitPrice, taxRateId: null }]

/** Creates a recurring profile that finalises and sends each period's invoice */
export async function createRecurringProfile(input: RecurringProfileInput) {
  const { createProfile } = await import('./services/recurring.js')
  const profile = await createProfile({
    client_id: input.clientId,
    name: input.name,
    currency: input.currency,
    lines: templateLine(input.description, input.unitPrice),
    interval: input.interval,
    interval_days: input.intervalDays,
    start_on: input.startOn,
    end_on: input.endOn ?? null,
    auto_finalize: true,
    auto_send: true,
  })
  return recurringSummary(profile)
}

/** Changes what a profile bills from its next period on, its end date, or pauses / resumes it */
export async function updateRecurringProfile(id: number, change: { description?: string; unitPrice?: number; name?: string; endOn?: string | null; paused?: boolean }) {
  const { findProfile, updateProfile, setPaused } = await import('./services/recurring.js')
  let profile = await findProfile(id)
  const patch: Record<string, unknown> = {}
  if (change.name !== undefined) patch.name = change.name
  if (change.description !== undefined && change.unitPrice !== undefined) patch.lines = templateLine(change.description, change.unitPrice)
  if (change.endOn !== undefined) patch.end_on = change.endOn
  if (Object.keys(patch).length) profile = await updateProfile(profile, patch)
  if (change.paused !== undefined) profile = await setPaused(profile, change.paused)
  return recurringSummary(profile)
}

/** Ends a profile now (deleted if it never billed) */
export async function endRecurringProfile(id: number) {
  const { findProfile, deleteProfile } = await import('./services/recurring.js')
  return deleteProfile(await findProfile(id))
}

/** Issues (creates and finalises) a one-line invoice or credit note; a credit note's amount becomes client credit */
export async function issueDocument(type: 'invoice' | 'credit_note', input: { clientId: number; currency: string; description: string; unitPrice: number; issueDate?: string }) {
  const { createDraft, finalize } = await import('./services/documents.js')
  const draft = await createDraft(type, { clientId: input.clientId, currency: input.currency, issueDate: input.issueDate ?? null, lines: templateLine(input.description, input.unitPrice) })
  return summarize(await finalize(draft))
}

/** Active clients of the tenant for pickers in other plugins (id, name, email, currency), by name */
export async function clientOptions(tenantId: number, limit = 500) {
  const { default: Client } = await import('./models/client.js')
  const rows = await Client.forTenant(tenantId).whereNull('archived_at').whereNull('merged_into_id').orderBy('name').limit(limit)
  return rows.map((c) => ({ id: c.id, name: c.name, email: c.email ?? null, currency: c.currency }))
}

/** A client of the tenant (id, name), or null: another tenant's id finds nothing */
export async function clientSummary(tenantId: number, clientId: number) {
  const { default: Client } = await import('./models/client.js')
  const client = await Client.forTenant(tenantId).where('id', clientId).first()
  return client ? { id: client.id, name: client.name } : null
}

/** Ids of the client's documents, to narrow other plugins' invoice-linked records to one client */
export async function clientDocumentIds(tenantId: number, clientId: number): Promise<number[]> {
  const rows = await Document.forTenant(tenantId).where('client_id', clientId).select('id')
  return rows.map((d) => d.id)
}
