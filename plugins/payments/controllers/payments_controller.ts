import type { HttpContext } from '@adonisjs/core/http'
import { DomainError } from '#exceptions/domain_errors'
import GatewayPayment from '../models/gateway_payment.js'
import { refundStripePayment } from '../services/stripe_payments.js'
import { formatMoney } from '../services/payment_notices.js'

const BASE = '/app/payments/payments'

/** Gateway payments with fee and net, and the refund form */
export default class PaymentsController {
  async index(ctx: HttpContext) {
    const payments = await GatewayPayment.query().orderBy('id', 'desc').limit(200)
    const { randomUUID } = await import('node:crypto')
    return ctx.view.render('payments::pages/payments', { payments, formatMoney, requestToken: randomUUID() })
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
