import type { HttpContext } from '@adonisjs/core/http'
import { randomUUID } from 'node:crypto'
import vine from '@vinejs/vine'
import { NotFoundError } from '#exceptions/domain_errors'
import GatewayPayment from '../models/gateway_payment.js'
import { refundStripePayment } from '../services/stripe_payments.js'

const STATUSES = ['processing', 'succeeded', 'failed', 'refunded', 'partially_refunded'] as const
const listValidator = vine.compile(vine.object({ status: vine.enum(STATUSES).optional(), limit: vine.number().min(1).max(200).optional(), before: vine.number().min(1).optional() }))
const refundValidator = vine.compile(vine.object({ amount: vine.number().withoutDecimals().min(1).optional() }))

export function serializeGatewayPayment(p: GatewayPayment) {
  return {
    id: p.id,
    gateway: p.gateway,
    reference: p.reference,
    charge_id: p.chargeId,
    invoice_id: p.invoiceId,
    ledger_payment_id: p.ledgerPaymentId,
    status: p.status,
    currency: p.currency,
    amount: p.amount,
    fee: p.fee,
    net: p.net,
    amount_refunded: p.amountRefunded,
    dispute_status: p.disputeStatus,
    created_at: p.createdAt.toISO(),
  }
}

async function find(id: unknown) {
  const payment = await GatewayPayment.query().where('id', Number(id) || 0).first()
  if (!payment) throw new NotFoundError()
  return payment
}

/** Newest first; `before` (an id) pages back */
export default class GatewayPaymentsApiController {
  async index(ctx: HttpContext) {
    const params = await listValidator.validate(ctx.request.qs())
    const limit = params.limit ?? 50
    const query = GatewayPayment.query().orderBy('id', 'desc').limit(limit + 1)
    if (params.status) query.where('status', params.status)
    if (params.before) query.where('id', '<', params.before)
    const rows = await query
    const page = rows.slice(0, limit)
    return { data: page.map(serializeGatewayPayment), next_before: rows.length > limit ? page[page.length - 1].id : null }
  }

  async show(ctx: HttpContext) {
    return { data: serializeGatewayPayment(await find(ctx.params.id)) }
  }

  /** The request's Idempotency-Key doubles as the refund's own key scope: a retried request refunds once */
  async refund(ctx: HttpContext) {
    const payment = await find(ctx.params.id)
    const { amount } = await refundValidator.validate(ctx.request.all())
    const token = ctx.request.header('idempotency-key') ?? randomUUID()
    const refund = await refundStripePayment(payment, amount ?? payment.amount - payment.amountRefunded, token)
    await payment.refresh()
    return ctx.response.created({ data: { refund_id: refund.refundId, amount: refund.amount, payment: serializeGatewayPayment(payment) } })
  }
}
