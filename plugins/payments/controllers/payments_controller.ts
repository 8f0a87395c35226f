import type { HttpContext } from '@adonisjs/core/http'
import { stringify } from 'csv-stringify/sync'
import { DomainError } from '#exceptions/domain_errors'
import GatewayPayment from '../models/gateway_payment.js'
import { refundStripePayment } from '../services/stripe_payments.js'
import { formatMoney } from '../services/payment_notices.js'
import { STATUSES, filterClient, filterQueryString, historyPage, historyQuery, historyTotals, pageFilter, rawQuery } from '../services/payment_history.js'
import { wantsFragment } from '#controllers/settings/form_support'

const BASE = '/app/payments/payments'
const PAGE_SIZE = 100

/** Gateway payments with fee and net, filters, totals per currency, and the refund form */
export default class PaymentsController {
  async index(ctx: HttpContext) {
    const tenantId = ctx.tenant!.id
    const { filter, errors, input } = await pageFilter(rawQuery(ctx.request.parsedUrl.query))
    const client = await filterClient(tenantId, filter)
    const { rows: payments, nextBefore } = await historyPage(tenantId, filter, PAGE_SIZE)
    const totals = await historyTotals(tenantId, { ...filter, before: undefined })
    const { randomUUID } = await import('node:crypto')
    const data = {
      payments,
      totals,
      client,
      input,
      fieldErrors: Object.fromEntries(Object.entries(errors).map(([k, key]) => [k, ctx.i18n.t(key)])),
      formatMoney,
      requestToken: randomUUID(),
      statuses: STATUSES,
      csvUrl: `${BASE}.csv${filterQueryString(input)}`,
      nextUrl: nextBefore ? `${BASE}${filterQueryString(input, { before: nextBefore })}` : null,
      firstUrl: filter.before ? `${BASE}${filterQueryString(input)}` : null,
    }
    ctx.response.status(Object.keys(errors).length ? 422 : 200)
    if (wantsFragment(ctx)) return ctx.view.render('payments::partials/history_list', data)
    return ctx.view.render('payments::pages/payments', data)
  }

  /** The filtered list as CSV (amounts in minor units, so spreadsheets need no locale guessing); bad filters → 422 */
  async csv(ctx: HttpContext) {
    const tenantId = ctx.tenant!.id
    const { filter, errors } = await pageFilter(rawQuery(ctx.request.parsedUrl.query))
    if (Object.keys(errors).length) {
      return ctx.response.status(422).send(Object.entries(errors).map(([k, key]) => `${k}: ${ctx.i18n.t(key)}`).join('\n'))
    }
    await filterClient(tenantId, filter)
    const { query } = await historyQuery(tenantId, { ...filter, before: undefined })
    const payments = await query.orderBy('id', 'desc')
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
