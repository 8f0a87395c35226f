import type { HttpContext } from '@adonisjs/core/http'
import { validateForm } from '#controllers/settings/form_support'
import { stripeAccountValidator } from '../validators/stripe_account.js'
import { accountOrNew, checkConnection, saveAccount } from '../services/stripe_account.js'

const BASE = '/app/payments/settings'
const LABELS = { publishable_key: 'payments.settings.publishable_key', secret_key: 'payments.settings.secret_key', webhook_secret: 'payments.settings.webhook_secret' }

/** The tenant's Stripe keys (secrets write-only), the webhook URL to paste into Stripe, the connection check */
export default class StripeSettingsController {
  async edit(ctx: HttpContext) {
    const account = await accountOrNew(ctx.tenant!.id)
    const webhookUrl = `https://${ctx.request.host()}/webhooks/stripe`
    return ctx.view.render('payments::pages/settings', { account, webhookUrl })
  }

  async update(ctx: HttpContext) {
    const input = await validateForm<{ publishable_key?: string; secret_key?: string; webhook_secret?: string }>(ctx, stripeAccountValidator, { back: BASE, labels: LABELS })
    if (!input) return
    await saveAccount(ctx.tenant!.id, input)
    ctx.session.flash('success', ctx.i18n.t('payments.settings.saved'))
    return ctx.response.redirect(BASE)
  }

  async check(ctx: HttpContext) {
    const account = await checkConnection(ctx.tenant!.id)
    if (!account) ctx.session.flash('error', ctx.i18n.t('payments.errors.not_configured'))
    else if (account.checkStatus === 'ok') ctx.session.flash('success', ctx.i18n.t('payments.settings.check_ok', { account: account.accountName ?? account.accountId ?? '' }))
    else ctx.session.flash('error', ctx.i18n.t('payments.settings.check_failed', { error: account.checkError ?? '' }))
    return ctx.response.redirect(BASE)
  }
}
