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
