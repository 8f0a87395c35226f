import type { HttpContext } from '@adonisjs/core/http'
import { randomUUID } from 'node:crypto'
import vine from '@vinejs/vine'
import { NotFoundError } from '#exceptions/domain_errors'
import GatewayPayment from '../models/gateway_payment.js'
import { refundStripePayment } from '../services/stripe_payments.js'
import { apiFilter, filterClient, historyPage, historyTotals, rawQuery } from '../services/payment_history.js'

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

/** Newest first; `before` (an id) pages back; filters as on the history page, amounts in minor units */
export default class GatewayPaymentsApiController {
  async index(ctx: HttpContext) {
    const tenantId = ctx.tenant!.id
    const params = await apiFilter(rawQuery(ctx.request.parsedUrl.query))
    await filterClient(tenantId, params)
    const { rows, nextBefore } = await historyPage(tenantId, params, params.limit ?? 50)
    /* totals cover every page of the filtered set, so they ignore `before` */
    const totals = await historyTotals(tenantId, { ...params, before: undefined })
    return { data: rows.map(serializeGatewayPayment), next_before: nextBefore, totals }
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
