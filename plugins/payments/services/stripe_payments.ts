/*
| Stripe payments: Checkout Sessions for invoices, PaymentIntent state brought into our rows and
| the invoicing ledger (exactly once per PaymentIntent), refunds to Stripe and the ledger.
*/
import db from '@adonisjs/lucid/services/db'
import type Stripe from 'stripe'
import { invoiceSummary, recordPayment, refundPayment } from '#plugins/invoicing/public'
import GatewayPayment from '../models/gateway_payment.js'
import GatewayRefund from '../models/gateway_refund.js'
import CheckoutSession from '../models/checkout_session.js'
import { clientFor } from './stripe_client.js'
import { withIdempotencyKey } from './idempotency.js'
import { PaymentNotPayableError, RefundTooLargeError } from '../exceptions/payments_errors.js'
import { sendReceipt, notifyStaff } from './payment_notices.js'

const STATUS: Record<string, GatewayPayment['status']> = { succeeded: 'succeeded', processing: 'processing', requires_payment_method: 'failed', canceled: 'failed' }

function feeOf(pi: Stripe.PaymentIntent) {
  const charge = pi.latest_charge
  if (!charge || typeof charge === 'string') return { chargeId: charge ?? null, fee: null }
  const txn = charge.balance_transaction
  return { chargeId: charge.id, fee: txn && typeof txn !== 'string' ? txn.fee : null }
}

async function upsertPayment(tenantId: number, pi: Stripe.PaymentIntent) {
  const existing = await GatewayPayment.forTenant(tenantId).where({ gateway: 'stripe', reference: pi.id }).first()
  if (existing) return existing
  const invoiceId = Number(pi.metadata?.invoice_id) || null
  try {
    return await GatewayPayment.create({
      tenantId,
      gateway: 'stripe',
      reference: pi.id,
      invoiceId,
      amount: pi.amount,
      amountRefunded: 0,
      currency: pi.currency.toUpperCase(),
      status: 'processing',
      disputeStatus: 'none',
      receiptSent: false,
    })
  } catch (error) {
    const raced = await GatewayPayment.forTenant(tenantId).where({ gateway: 'stripe', reference: pi.id }).first()
    if (raced) return raced
    throw error
  }
}

/** Brings a PaymentIntent (as Stripe says it is now) into our rows and, once succeeded, the ledger */
export async function syncPaymentIntent(tenantId: number, pi: Stripe.PaymentIntent) {
  const payment = await upsertPayment(tenantId, pi)
  const { chargeId, fee } = feeOf(pi)
  const status = STATUS[pi.status] ?? 'processing'
  /* never step back from succeeded/refunded because an older event arrives late */
  const settled = ['succeeded', 'refunded', 'partially_refunded'].includes(payment.status)
  payment.merge({
    status: settled ? payment.status : status,
    chargeId: chargeId ?? payment.chargeId,
    fee: fee ?? payment.fee,
    amount: pi.status === 'succeeded' ? pi.amount_received : payment.amount,
    failureMessage: pi.last_payment_error?.message ?? (settled ? payment.failureMessage : null),
  })
  await payment.save()
  if (pi.status !== 'succeeded' || payment.ledgerPaymentId) {
    if (pi.status === 'requires_payment_method' && pi.last_payment_error && !settled) await notifyStaff(tenantId, payment, 'payment_failed')
    return payment
  }
  const recorded = await recordPayment({
    tenantId,
    invoiceId: payment.invoiceId,
    clientId: Number(pi.metadata?.client_id) || null,
    amount: pi.amount_received,
    currency: pi.currency.toUpperCase(),
    method: 'card',
    reference: chargeId ?? pi.id,
    gateway: 'stripe',
    gatewayReference: pi.id,
    fee,
    notes: 'Stripe',
  })
  payment.ledgerPaymentId = recorded.payment.id
  await payment.save()
  /* one receipt per PaymentIntent even when two workers get here: the flag flips once */
  const claimed = await db.from('payments_gateway_payments').where({ id: payment.id, tenant_id: tenantId, receipt_sent: false }).update({ receipt_sent: true })
  if (Number(Array.isArray(claimed) ? claimed[0] : claimed) === 1) {
    await sendReceipt(tenantId, payment)
    await notifyStaff(tenantId, payment, 'payment_received')
  }
  return payment
}

/** A refund Stripe made (from our UI or Stripe's dashboard), recorded once in the ledger */
export async function recordGatewayRefund(payment: GatewayPayment, refund: Stripe.Refund) {
  const existing = await GatewayRefund.forTenant(payment.tenantId).where('refund_id', refund.id).first()
  if (existing?.ledgerRefundId) return existing
  let row = existing
  if (!row) {
    try {
      row = await GatewayRefund.create({ tenantId: payment.tenantId, gatewayPaymentId: payment.id, refundId: refund.id, amount: refund.amount, status: refund.status ?? 'succeeded' })
    } catch (error) {
      const raced = await GatewayRefund.forTenant(payment.tenantId).where('refund_id', refund.id).first()
      if (raced) return raced
      throw error
    }
  }
  if (payment.ledgerPaymentId) {
    const result = await refundPayment({ tenantId: payment.tenantId, paymentId: payment.ledgerPaymentId, amount: refund.amount, reference: refund.id, gatewayReference: refund.id })
    row.ledgerRefundId = result.refund.id
    await row.save()
  }
  const [sum] = await GatewayRefund.forTenant(payment.tenantId).where('gateway_payment_id', payment.id).sum('amount as total')
  const refunded = Number(sum.$extras.total ?? 0)
  payment.merge({ amountRefunded: refunded, status: refunded >= payment.amount ? 'refunded' : 'partially_refunded' })
  await payment.save()
  return row
}

/**
 * Refunds (part of) a Stripe payment. `requestToken` comes from the form that asked: the same
 * submission sent again (double click, retry after a lost response) reuses the persisted key.
 */
export async function refundStripePayment(payment: GatewayPayment, amount: number, requestToken: string) {
  if (amount <= 0 || amount > payment.amount - payment.amountRefunded) throw new RefundTooLargeError()
  const stripe = await clientFor(payment.tenantId)
  const refund = await withIdempotencyKey(payment.tenantId, `refund:${payment.id}:${requestToken}`, 'refunds.create', (idempotencyKey) =>
    stripe.refunds.create({ payment_intent: payment.reference, amount, metadata: { gateway_payment_id: String(payment.id) } }, { idempotencyKey })
  )
  return recordGatewayRefund(payment, refund)
}

/** A Checkout Session for (part of) an invoice's balance; an open one for the same amount is reused */
export async function createCheckout(tenantId: number, invoiceId: number, amount: number, urls: { success: string; cancel: string }) {
  const invoice = await invoiceSummary(tenantId, invoiceId)
  if (!invoice || invoice.type !== 'invoice' || invoice.balanceDue <= 0 || amount <= 0 || amount > invoice.balanceDue) throw new PaymentNotPayableError()
  const reusable = await CheckoutSession.forTenant(tenantId).where({ invoice_id: invoiceId, amount, status: 'open' }).where('created_at', '>', new Date(Date.now() - 23 * 3600_000)).orderBy('id', 'desc').first()
  if (reusable?.url) return reusable
  const [count] = await CheckoutSession.forTenant(tenantId).where('invoice_id', invoiceId).count('* as total')
  const attempt = Number(count.$extras.total)
  const stripe = await clientFor(tenantId)
  const metadata = { invoice_id: String(invoice.id), client_id: String(invoice.clientId), tenant_id: String(tenantId) }
  const session = await withIdempotencyKey(tenantId, `checkout:${invoiceId}:${amount}:${invoice.amountPaid}:${attempt}`, 'checkout.sessions.create', (idempotencyKey) =>
    stripe.checkout.sessions.create(
      {
        mode: 'payment',
        client_reference_id: String(invoice.id),
        line_items: [{ quantity: 1, price_data: { currency: invoice.currency.toLowerCase(), unit_amount: amount, product_data: { name: `Invoice ${invoice.number ?? invoice.id}` } } }],
        metadata,
        payment_intent_data: { metadata },
        success_url: urls.success,
        cancel_url: urls.cancel,
      },
      { idempotencyKey }
    )
  )
  const existing = await CheckoutSession.forTenant(tenantId).where('session_id', session.id).first()
  return (
    existing ??
    CheckoutSession.create({ tenantId, invoiceId, sessionId: session.id, amount, currency: invoice.currency, status: 'open', url: session.url })
  )
}
