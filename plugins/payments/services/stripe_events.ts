/*
| Processing of stored Stripe events (run by the payments:process_event job). Handlers are
| idempotent and order-tolerant: they re-read the PaymentIntent / Charge from Stripe and bring
| our rows to what Stripe says now, so a late or repeated event changes nothing.
*/
import { DateTime } from 'luxon'
import type Stripe from 'stripe'
import StripeEvent from '../models/stripe_event.js'
import GatewayPayment from '../models/gateway_payment.js'
import CheckoutSession from '../models/checkout_session.js'
import { clientFor } from './stripe_client.js'
import { syncPaymentIntent, recordGatewayRefund } from './stripe_payments.js'
import { notifyStaff } from './payment_notices.js'
import { BILLING_EVENTS, afterPaymentIntent, handleBillingEvent } from '../handlers/billing.js'

const PI_EVENTS = new Set(['payment_intent.succeeded', 'payment_intent.payment_failed', 'payment_intent.processing'])

async function handle(tenantId: number, type: string, object: any) {
  const stripe = await clientFor(tenantId)
  if (PI_EVENTS.has(type) || type === 'checkout.session.completed') {
    const piId = type === 'checkout.session.completed' ? object.payment_intent : object.id
    if (type === 'checkout.session.completed') {
      const session = await CheckoutSession.forTenant(tenantId).where('session_id', object.id).first()
      if (session && session.status !== 'complete') await session.merge({ status: 'complete', paymentIntentId: piId ?? null }).save()
    }
    if (!piId) return 'ignored'
    const pi = await stripe.paymentIntents.retrieve(piId, { expand: ['latest_charge.balance_transaction'] })
    await syncPaymentIntent(tenantId, pi)
    await afterPaymentIntent(tenantId, pi)
    return 'processed'
  }
  if (type === 'charge.refunded') {
    const charge = await stripe.charges.retrieve(object.id)
    const payment = await GatewayPayment.forTenant(tenantId).where({ gateway: 'stripe', reference: charge.payment_intent as string }).first()
    if (!payment) {
      if (!charge.payment_intent) return 'ignored'
      const pi = await stripe.paymentIntents.retrieve(charge.payment_intent as string, { expand: ['latest_charge.balance_transaction'] })
      await syncPaymentIntent(tenantId, pi)
    }
    const fresh = await GatewayPayment.forTenant(tenantId).where({ gateway: 'stripe', reference: charge.payment_intent as string }).first()
    if (!fresh) return 'ignored'
    const refunds = await stripe.refunds.list({ charge: charge.id, limit: 100 })
    for (const refund of refunds.data) {
      if (refund.status === 'succeeded') await recordGatewayRefund(fresh, refund)
    }
    return 'processed'
  }
  if (type === 'charge.dispute.created' || type === 'charge.dispute.closed') {
    const dispute = object as Stripe.Dispute
    const chargeId = typeof dispute.charge === 'string' ? dispute.charge : dispute.charge.id
    const payment = await GatewayPayment.forTenant(tenantId).where('charge_id', chargeId).first()
    if (!payment) return 'ignored'
    const status = dispute.status === 'won' ? 'won' : dispute.status === 'lost' ? 'lost' : 'open'
    /* a late "created" never reopens a dispute that is already closed */
    if (type === 'charge.dispute.created' && payment.disputeStatus !== 'none') return 'processed'
    payment.merge({ disputeStatus: type === 'charge.dispute.created' ? 'open' : status, disputeId: dispute.id })
    await payment.save()
    await notifyStaff(tenantId, payment, type === 'charge.dispute.created' ? 'dispute_opened' : 'dispute_closed')
    return 'processed'
  }
  if (BILLING_EVENTS.has(type)) return handleBillingEvent(tenantId, type, object)
  return 'ignored'
}

export async function processEvent(tenantId: number, eventRowId: number) {
  const event = await StripeEvent.forTenant(tenantId).where('id', eventRowId).first()
  if (!event || event.status === 'processed' || event.status === 'ignored') return
  event.merge({ status: 'processing', attempts: event.attempts + 1 })
  await event.save()
  try {
    const parsed = JSON.parse(event.payload)
    const outcome = await handle(tenantId, event.type, parsed.data?.object ?? {})
    event.merge({ status: outcome as 'processed' | 'ignored', error: null, processedAt: DateTime.now() })
    await event.save()
  } catch (error) {
    event.merge({ status: 'failed', error: (error as Error).message.slice(0, 2000) })
    await event.save()
    throw error
  }
}
