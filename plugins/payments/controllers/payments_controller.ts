import type { HttpContext } from '@adonisjs/core/http'
import { stringify } from 'csv-stringify/sync'
import { DomainError } from '#exceptions/domain_errors'
import GatewayPayment from '../models/gateway_payment.js'
import { refundStripePayment } from '../services/stripe_payments.js'
import { formatMoney } from '../services/payment_notices.js'

const BASE = '/app/payments/payments'
const STATUSES = ['processing', 'succeeded', 'failed', 'refunded', 'partially_refunded']

/** The list's filter (status) from the query string; unknown values are ignored */
function filtered(ctx: HttpContext) {
  const status = STATUSES.includes(ctx.request.qs().status) ? (ctx.request.qs().status as string) : null
  const query = GatewayPayment.query().orderBy('id', 'desc')
  if (status) query.where('status', status)
  return { query, status }
}

/** Gateway payments with fee and net, and the refund form */
export default class PaymentsController {
  async index(ctx: HttpContext) {
    const { query, status } = filtered(ctx)
    const payments = await query.limit(200)
    const { randomUUID } = await import('node:crypto')
    return ctx.view.render('payments::pages/payments', { payments, formatMoney, requestToken: randomUUID(), status, statuses: STATUSES })
  }

  /** The same list as CSV (amounts in minor units, so spreadsheets need no locale guessing) */
  async csv(ctx: HttpContext) {
    const payments = await filtered(ctx).query
    const rows = payments.map((p) => [p.createdAt.toISO(), p.gateway, p.reference, p.chargeId ?? '', p.invoiceId ?? '', p.status, p.currency, p.amount, p.fee ?? '', p.net, p.amountRefunded, p.disputeStatus])
    const header = ['created_at', 'gateway', 'reference', 'charge', 'invoice_id', 'status', 'currency', 'amount', 'fee', 'net', 'refunded', 'dispute']
    ctx.response.header('content-type', 'text/csv; charset=utf-8')
    ctx.response.header('content-disposition', 'attachment; filename="payments.csv"')
    return stringify([header, ...rows])
  }

  async refund(ctx: HttpContext) {
    const payment = await GatewayPayment.query().where('id', Number(ctx.params.id) || 0).firstOrFail()
    const raw = String(ctx.request.input('amount') ?? '').trim().replace(',', '.')
    const amount = raw === '' ? payment.amount - payment.amountRefunded : Math.round(Number(raw) * 100)
    const token = String(ctx.request.input('request_token') ?? '')
    if (!/^[0-9a-f-]{36}$/.test(token) || !Number.isFinite(amount) || amount <= 0) {
      ctx.session.flashErrors({ amount: ctx.i18n.t('payments.refund.amount_invalid') })
      return ctx.response.redirect(BASE)
    }
    try {
      await refundStripePayment(payment, amount, token)
    } catch (error) {
      if (!(error instanceof DomainError)) throw error
      ctx.session.flashErrors({ amount: ctx.i18n.t(error.messageKey ?? 'payments.errors.stripe_failed') })
      return ctx.response.redirect(BASE)
    }
    ctx.session.flash('success', ctx.i18n.t('payments.refund.done', { amount: formatMoney(amount, payment.currency) }))
    return ctx.response.redirect(BASE)
  }
}
