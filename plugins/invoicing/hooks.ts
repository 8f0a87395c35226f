/*
| Hooks the invoicing plugin exposes (typed by declaration merging into #kernel/hooks). Actions
| fire after the transaction that made the change has committed. The UI slots
| `ui.slot.invoicing.public_actions`, `ui.slot.invoicing.invoice_sidebar` and `ui.slot.invoicing.client_sidebar` belong to the kernel's
| `ui.slot.*` family and need no declaration here.
*/
import hooks from '#kernel/hooks'
import type { DocumentStatus, DocumentType } from './models/document.js'
import type { PdfDocumentView } from './services/pdf/types.js'

export interface DocumentEvent {
  tenantId: number
  documentId: number
  type: DocumentType
  number: string | null
  status: DocumentStatus
  clientId: number
  currency: string
  total: number
  balanceDue: number
}

export interface PaymentEvent {
  tenantId: number
  paymentId: number
  clientId: number
  /** invoices the payment settled, with the amount applied to each */
  allocations: Array<{ invoiceId: number; amount: number }>
  amount: number
  currency: string
  method: string
  gateway: string | null
  gatewayReference: string | null
  /** what became client credit (overpayment) */
  credited: number
}

export interface RecurringDueEvent {
  tenantId: number
  profileId: number
  invoiceId: number
}

declare module '#kernel/hooks' {
  interface Actions {
    'invoice.finalized': DocumentEvent
    'invoice.sent': DocumentEvent
    'invoice.viewed': DocumentEvent
    'invoice.partially_paid': DocumentEvent
    'invoice.paid': DocumentEvent
    'invoice.voided': DocumentEvent & { creditNoteId: number }
    'invoice.written_off': DocumentEvent & { amount: number }
    'invoice.recurring.due': RecurringDueEvent
    'quote.finalized': DocumentEvent
    'quote.sent': DocumentEvent
    'quote.viewed': DocumentEvent
    'quote.accepted': DocumentEvent
    'quote.declined': DocumentEvent
    'quote.converted': DocumentEvent & { invoiceId: number }
    'credit_note.finalized': DocumentEvent & { invoiceId: number | null }
    'credit_note.sent': DocumentEvent
    'credit_note.viewed': DocumentEvent
    'payment.recorded': PaymentEvent
    'payment.refunded': PaymentEvent & { refundOfId: number }
  }
  interface Filters {
    /** Last chance to adjust what a PDF design receives (e.g. a payment QR code in the notes) */
    'invoice.pdf.context': PdfDocumentView
  }
}

export const ACTIONS = [
  'invoice.finalized',
  'invoice.sent',
  'invoice.viewed',
  'invoice.partially_paid',
  'invoice.paid',
  'invoice.voided',
  'invoice.written_off',
  'invoice.recurring.due',
  'quote.finalized',
  'quote.sent',
  'quote.viewed',
  'quote.accepted',
  'quote.declined',
  'quote.converted',
  'credit_note.finalized',
  'credit_note.sent',
  'credit_note.viewed',
  'payment.recorded',
  'payment.refunded',
] as const

/** Idempotent: runs when this module loads and again from the plugin's boot */
export function declareInvoicingHooks(registry = hooks) {
  for (const name of ACTIONS) registry.declare(name, { failMode: 'open', timeoutMs: 5000 })
  registry.declare('invoice.pdf.context', { failMode: 'closed', timeoutMs: 2000, description: 'Invoicing PDF view' })
}

declareInvoicingHooks()
