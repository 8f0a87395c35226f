/*
| The payments ledger: payments received (manual or through a gateway), refunds, the client credit
| an overpayment or a credit note leaves, and applying that credit to later invoices. An invoice's
| balance is total − amount paid − amount credited; its status follows the balance.
*/
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import hooks from '#kernel/hooks'
import { audit } from '#services/audit_service'
import { NotFoundError } from '#exceptions/domain_errors'
import Document from '../models/document.js'
import Payment, { type PaymentMethod } from '../models/payment.js'
import PaymentAllocation from '../models/payment_allocation.js'
import ClientCredit from '../models/client_credit.js'
import Client from '../models/client.js'
import { assertTransition, emitTransition, lockDocument } from './lifecycle.js'
import { today } from './numbering.js'
import { CurrencyMismatchError, LedgerError } from '../exceptions/document_errors.js'
import type { PaymentEvent } from '../hooks.js'

/** Recomputes an invoice's balance and status from its amounts and saves it (inside `trx`) */
export async function settleInvoice(trx: TransactionClientContract, invoice: Document) {
  invoice.balanceDue = invoice.total - invoice.amountPaid - invoice.amountCredited
  if (invoice.balanceDue <= 0) {
    invoice.status = 'paid'
    invoice.paidAt = invoice.paidAt ?? DateTime.now()
  } else if (invoice.amountPaid > 0 || invoice.amountCredited > 0) {
    invoice.status = 'partially_paid'
    invoice.paidAt = null
  } else {
    invoice.status = invoice.viewedAt ? 'viewed' : invoice.sentAt ? 'sent' : 'finalized'
    invoice.paidAt = null
  }
  invoice.version += 1
  invoice.useTransaction(trx)
  await invoice.save()
  return invoice
}

/** The client's unused credit in a currency */
export async function creditBalance(tenantId: number, clientId: number, currency: string, trx?: TransactionClientContract) {
  const row = await ClientCredit.forTenant(tenantId, { client: trx })
    .where({ client_id: clientId, currency })
    .sum('amount as total')
    .first()
  return Number(row?.$extras.total ?? 0)
}

/** Credit balances of a client per currency (non-zero only) */
export async function creditBalances(tenantId: number, clientId: number) {
  const rows = await db
    .from(ClientCredit.table)
    .where({ tenant_id: tenantId, client_id: clientId })
    .groupBy('currency')
    .select('currency')
    .sum('amount as total')
  return rows.map((r) => ({ currency: r.currency as string, amount: Number(r.total) })).filter((r) => r.amount !== 0)
}

export interface RecordPaymentInput {
  tenantId: number
  /** the invoice paid; without one the whole amount becomes client credit */
  invoiceId?: number | null
  /** needed when there is no invoice */
  clientId?: number | null
  /** minor units, > 0 */
  amount: number
  currency: string
  method: PaymentMethod
  reference?: string | null
  /** 'YYYY-MM-DD', default today */
  paidOn?: string | null
  /** online payments: the gateway and its id for the charge (recording it twice returns the first) */
  gateway?: string | null
  gatewayReference?: string | null
  fee?: number | null
  notes?: string | null
  userId?: number | null
}

export interface RecordedPayment {
  payment: Payment
  invoice: Document | null
  applied: number
  credited: number
  /** true when a gateway payment with the same reference was recorded before */
  duplicate: boolean
}

function paymentEvent(payment: Payment, allocations: Array<{ invoiceId: number; amount: number }>, credited: number): PaymentEvent {
  return {
    tenantId: payment.tenantId,
    paymentId: payment.id,
    clientId: payment.clientId,
    allocations,
    amount: payment.amount,
    currency: payment.currency,
    method: payment.method,
    gateway: payment.gateway,
    gatewayReference: payment.gatewayReference,
    credited,
  }
}

function assertAmount(amount: number) {
  if (!Number.isSafeInteger(amount) || amount <= 0) {
    throw new LedgerError('The amount must be a positive amount', 'invoicing_core.errors.amount', 'E_INVALID_AMOUNT')
  }
}

/** A gateway payment already recorded under the same gateway reference, as recordPayment answers it */
async function recordedBefore(input: RecordPaymentInput): Promise<RecordedPayment | null> {
  if (!input.gateway || !input.gatewayReference) return null
  const existing = await Payment.forTenant(input.tenantId)
    .where({ gateway: input.gateway, gateway_reference: input.gatewayReference })
    .first()
  if (!existing) return null
  const alloc = await PaymentAllocation.forTenant(input.tenantId).where('payment_id', existing.id).first()
  const invoice = alloc ? await Document.forTenant(input.tenantId).where('id', alloc.documentId).first() : null
  return { payment: existing, invoice, applied: alloc?.amount ?? 0, credited: existing.amount - (alloc?.amount ?? 0), duplicate: true }
}

export async function recordPayment(input: RecordPaymentInput): Promise<RecordedPayment> {
  assertAmount(input.amount)
  const currency = input.currency.toUpperCase()
  const recorded = await recordedBefore(input)
  if (recorded) return recorded
  let statusBefore: string | null = null
  const record = () => db.transaction(async (trx) => {
    let invoice: Document | null = null
    let clientId = input.clientId ?? null
    if (input.invoiceId) {
      invoice = await lockDocument(trx, input.tenantId, input.invoiceId)
      if (invoice.type !== 'invoice') throw new NotFoundError()
      assertTransition(invoice, 'pay')
      if (invoice.currency !== currency) throw new CurrencyMismatchError(invoice.currency, currency)
      clientId = invoice.clientId
      statusBefore = invoice.status
    }
    if (!clientId) throw new LedgerError('A payment needs an invoice or a client', 'invoicing_core.errors.payment_target', 'E_PAYMENT_TARGET')
    const client = await Client.forTenant(input.tenantId, { client: trx }).where('id', clientId).first()
    if (!client) throw new NotFoundError('Client not found')
    const payment = await Payment.create(
      {
        tenantId: input.tenantId,
        clientId,
        kind: 'payment',
        method: input.method,
        currency,
        amount: input.amount,
        fee: input.fee ?? 0,
        refundedAmount: 0,
        paidOn: input.paidOn || today(),
        reference: input.reference ?? null,
        gateway: input.gateway ?? null,
        gatewayReference: input.gatewayReference ?? null,
        notes: input.notes ?? null,
        createdBy: input.userId ?? null,
      },
      { client: trx }
    )
    let applied = 0
    if (invoice) {
      applied = Math.min(input.amount, Math.max(invoice.balanceDue, 0))
      if (applied > 0) {
        await PaymentAllocation.create(
          { tenantId: input.tenantId, documentId: invoice.id, source: 'payment', paymentId: payment.id, amount: applied },
          { client: trx }
        )
        invoice.amountPaid += applied
        await settleInvoice(trx, invoice)
      }
    }
    const credited = input.amount - applied
    if (credited > 0) {
      await ClientCredit.create(
        { tenantId: input.tenantId, clientId, currency, amount: credited, source: 'overpayment', paymentId: payment.id },
        { client: trx }
      )
    }
    return { payment, invoice, applied, credited, duplicate: false }
  })
  let result: RecordedPayment
  try {
    result = await record()
  } catch (error) {
    /* the same gateway payment recorded concurrently: the unique key kept one, answer with it */
    const again = await recordedBefore(input)
    if (again) return again
    throw error
  }

  const { payment, invoice, applied, credited } = result
  await audit({
    tenantId: input.tenantId,
    action: 'invoicing.payment.recorded',
    subjectType: 'invoicing_payment',
    subjectId: payment.id,
    after: { invoiceId: invoice?.id ?? null, amount: payment.amount, currency, method: payment.method, paidOn: payment.paidOn, reference: payment.reference, applied, credited },
  })
  await hooks.doAction('payment.recorded', paymentEvent(payment, invoice && applied ? [{ invoiceId: invoice.id, amount: applied }] : [], credited), { tenantId: input.tenantId })
  if (invoice && applied > 0 && (invoice.status === 'paid' || invoice.status === 'partially_paid')) {
    await emitTransition(invoice, invoice.status, { status: statusBefore }, { paymentId: payment.id, amount: applied })
  }
  return result
}

export interface RefundInput {
  tenantId: number
  paymentId: number
  /** minor units, at most what is left of the payment; default all of it */
  amount?: number | null
  paidOn?: string | null
  reference?: string | null
  method?: PaymentMethod | null
  gatewayReference?: string | null
  userId?: number | null
}

/**
 * Pays (part of) a payment back. The refund first uses the client credit that payment left, then
 * takes the rest back from the invoices it settled, which reopen.
 */
export async function refundPayment(input: RefundInput) {
  const outcome = await db.transaction(async (trx) => {
    await trx.from(Payment.table).where({ tenant_id: input.tenantId, id: input.paymentId }).update({ refunded_amount: trx.raw('refunded_amount') })
    const original = await Payment.forTenant(input.tenantId, { client: trx }).where('id', input.paymentId).first()
    if (!original || original.kind !== 'payment') throw new NotFoundError()
    const refundable = original.amount - original.refundedAmount
    const amount = input.amount ?? refundable
    assertAmount(amount)
    if (amount > refundable) throw new LedgerError('The refund exceeds what is left of the payment', 'invoicing_core.errors.refund_too_large', 'E_REFUND_TOO_LARGE')

    const refund = await Payment.create(
      {
        tenantId: input.tenantId,
        clientId: original.clientId,
        kind: 'refund',
        method: input.method ?? original.method,
        currency: original.currency,
        amount,
        fee: 0,
        refundedAmount: 0,
        paidOn: input.paidOn || today(),
        reference: input.reference ?? null,
        gateway: original.gateway,
        gatewayReference: input.gatewayReference ?? null,
        refundOfId: original.id,
        createdBy: input.userId ?? null,
      },
      { client: trx }
    )
    original.refundedAmount += amount
    original.useTransaction(trx)
    await original.save()

    /* first the credit this payment left that is still unused */
    const leftByPayment = Number(
      (await ClientCredit.forTenant(input.tenantId, { client: trx }).where('payment_id', original.id).sum('amount as total').first())?.$extras.total ?? 0
    )
    const available = await creditBalance(input.tenantId, original.clientId, original.currency, trx)
    let fromCredit = Math.min(amount, Math.max(0, leftByPayment), Math.max(0, available))
    if (fromCredit > 0) {
      await ClientCredit.create(
        { tenantId: input.tenantId, clientId: original.clientId, currency: original.currency, amount: -fromCredit, source: 'refund', paymentId: original.id },
        { client: trx }
      )
    }
    let rest = amount - fromCredit
    const reopened: Array<{ invoice: Document; amount: number; before: string }> = []
    const allocations = await PaymentAllocation.forTenant(input.tenantId, { client: trx })
      .where('payment_id', original.id)
      .orderBy('id', 'desc')
    const net = new Map<number, number>()
    for (const a of allocations) net.set(a.documentId, (net.get(a.documentId) ?? 0) + a.amount)
    for (const [documentId, settledAmount] of net) {
      if (rest <= 0) break
      const back = Math.min(rest, settledAmount)
      if (back <= 0) continue
      const invoice = await lockDocument(trx, input.tenantId, documentId)
      const before = invoice.status
      await PaymentAllocation.create(
        { tenantId: input.tenantId, documentId, source: 'refund', paymentId: original.id, amount: -back },
        { client: trx }
      )
      if (['void', 'written_off'].includes(invoice.status)) {
        invoice.amountPaid -= back
        invoice.version += 1
        invoice.useTransaction(trx)
        await invoice.save()
      } else {
        invoice.amountPaid -= back
        await settleInvoice(trx, invoice)
      }
      reopened.push({ invoice, amount: back, before })
      rest -= back
    }
    /* what was neither credit nor settled (credit already applied elsewhere) comes out of credit */
    if (rest > 0) {
      await ClientCredit.create(
        { tenantId: input.tenantId, clientId: original.clientId, currency: original.currency, amount: -rest, source: 'refund', paymentId: original.id },
        { client: trx }
      )
      fromCredit += rest
    }
    return { refund, original, reopened, fromCredit }
  })

  const { refund, original, reopened } = outcome
  await audit({
    tenantId: input.tenantId,
    action: 'invoicing.payment.refunded',
    subjectType: 'invoicing_payment',
    subjectId: original.id,
    after: { refundId: refund.id, amount: refund.amount, currency: refund.currency, reopened: reopened.map((r) => r.invoice.id) },
  })
  await hooks.doAction(
    'payment.refunded',
    { ...paymentEvent(refund, reopened.map((r) => ({ invoiceId: r.invoice.id, amount: -r.amount })), -outcome.fromCredit), refundOfId: original.id },
    { tenantId: input.tenantId }
  )
  return outcome
}

/** Applies the client's credit (same currency) to an open invoice, up to `amount` or the balance */
export async function applyCredit(input: { tenantId: number; invoiceId: number; amount?: number | null }) {
  let before: string | null = null
  const result = await db.transaction(async (trx) => {
    const invoice = await lockDocument(trx, input.tenantId, input.invoiceId)
    if (invoice.type !== 'invoice') throw new NotFoundError()
    assertTransition(invoice, 'pay')
    before = invoice.status
    const available = await creditBalance(input.tenantId, invoice.clientId, invoice.currency, trx)
    const amount = Math.min(input.amount ?? Number.MAX_SAFE_INTEGER, available, invoice.balanceDue)
    if (amount <= 0) throw new LedgerError('The client has no credit to apply', 'invoicing_core.errors.no_credit', 'E_NO_CREDIT')
    await ClientCredit.create(
      { tenantId: input.tenantId, clientId: invoice.clientId, currency: invoice.currency, amount: -amount, source: 'applied', documentId: invoice.id },
      { client: trx }
    )
    await PaymentAllocation.create({ tenantId: input.tenantId, documentId: invoice.id, source: 'credit', amount }, { client: trx })
    invoice.amountCredited += amount
    await settleInvoice(trx, invoice)
    return { invoice, amount }
  })
  await emitTransition(result.invoice, result.invoice.status === 'paid' ? 'paid' : 'partially_paid', { status: before }, { creditApplied: result.amount })
  return result
}

export async function findPayment(id: number | string) {
  const payment = await Payment.query().where('id', Number(id) || 0).first()
  if (!payment) throw new NotFoundError()
  return payment
}

/** Allocations of an invoice (payments, credit, credit notes, refunds, write-off), oldest first */
export async function allocationsOf(invoice: Document) {
  return PaymentAllocation.forTenant(invoice.tenantId).where('document_id', invoice.id).orderBy('id')
}
