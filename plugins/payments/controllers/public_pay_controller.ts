import type { HttpContext } from '@adonisjs/core/http'
import vine from '@vinejs/vine'
import plugins from '#kernel/plugin_service'
import { NotFoundError } from '#exceptions/domain_errors'
import { findInvoiceForPublicToken } from '#plugins/invoicing/public'
import { createCheckout } from '../services/stripe_payments.js'
import { DomainError } from '#exceptions/domain_errors'

const amountValidator = vine.compile(vine.object({ amount: vine.string().trim().regex(/^\d{1,9}([.,]\d{1,2})?$/).optional() }))

/** POST /p/payments/invoices/:token/pay — the client's Pay button: a Checkout Session, then Stripe */
export default class PublicPayController {
  async pay(ctx: HttpContext) {
    const tenantId = ctx.tenant!.id
    const invoice = await findInvoiceForPublicToken(tenantId, ctx.params.token)
    if (!invoice || !invoice.publicPath) throw new NotFoundError()
    const back = invoice.publicPath
    const settings = await plugins.settingsFor(tenantId, 'payments')
    let amount = invoice.balanceDue
    const { amount: asked } = await amountValidator.validate(ctx.request.all()).catch(() => ({ amount: 'invalid' }))
    if (settings.allowPartialPayments && asked) {
      const minor = asked === 'invalid' ? Number.NaN : Math.round(Number(asked.replace(',', '.')) * 100)
      if (!Number.isFinite(minor) || minor <= 0 || minor > invoice.balanceDue) {
        ctx.session.flash('error', ctx.i18n.t('payments.pay.amount_invalid'))
        return ctx.response.redirect(back)
      }
      amount = minor
    }
    const origin = `${ctx.request.protocol()}://${ctx.request.host()}`
    try {
      const session = await createCheckout(tenantId, invoice.id, amount, { success: `${origin}${back}?paid=1`, cancel: `${origin}${back}` })
      /*
       * A page that moves on to Stripe rather than a redirect: the CSP's form-action 'self' would
       * block a form submission redirected to another origin.
       */
      return ctx.view.render('payments::pages/redirect_to_checkout', { url: session.url })
    } catch (error) {
      if (!(error instanceof DomainError)) throw error
      ctx.session.flash('error', ctx.i18n.t(error.messageKey ?? 'payments.errors.stripe_failed'))
      return ctx.response.redirect(back)
    }
  }
}
