import type { HttpContext } from '@adonisjs/core/http'
import { NotFoundError, DomainError } from '#exceptions/domain_errors'
import { invoiceSummary } from '#plugins/invoicing/public'
import OffsessionCharge from '../models/offsession_charge.js'
import { customerForSetupToken, methodsOf, startCardSetup } from '../services/billing_customers.js'
import { clientFor } from '../services/stripe_client.js'
import { formatMoney } from '../services/payment_notices.js'

async function chargeFor(tenantId: number, token: string) {
  if (!/^[A-Za-z0-9_-]{20,64}$/.test(token)) throw new NotFoundError()
  const charge = await OffsessionCharge.forTenant(tenantId).where('action_token', token).first()
  if (!charge?.paymentIntentId) throw new NotFoundError()
  return charge
}

/** The client's pages behind unguessable links: no sign-in, only what the token opens */
export default class PublicBillingController {
  async cards(ctx: HttpContext) {
    const tenantId = ctx.tenant!.id
    const customer = await customerForSetupToken(tenantId, ctx.params.token)
    if (!customer) throw new NotFoundError()
    const methods = await methodsOf(tenantId, customer.clientId)
    ctx.response.header('x-robots-tag', 'noindex')
    return ctx.view.render('payments::pages/public_cards', { token: ctx.params.token, methods, done: ctx.request.qs().saved === '1' })
  }

  async setup(ctx: HttpContext) {
    const tenantId = ctx.tenant!.id
    const customer = await customerForSetupToken(tenantId, ctx.params.token)
    if (!customer) throw new NotFoundError()
    const origin = `${ctx.request.protocol()}://${ctx.request.host()}`
    const back = `/p/payments/cards/${ctx.params.token}`
    try {
      const url = await startCardSetup(tenantId, customer, { success: `${origin}${back}?saved=1`, cancel: `${origin}${back}` })
      return ctx.response.redirect().status(303).toPath(url)
    } catch (error) {
      if (!(error instanceof DomainError)) throw error
      ctx.session.flash('error', ctx.i18n.t(error.messageKey ?? 'payments.errors.stripe_failed'))
      return ctx.response.redirect(back)
    }
  }

  async authenticate(ctx: HttpContext) {
    const tenantId = ctx.tenant!.id
    const charge = await chargeFor(tenantId, ctx.params.token)
    const invoice = await invoiceSummary(tenantId, charge.invoiceId)
    if (!invoice) throw new NotFoundError()
    ctx.response.header('x-robots-tag', 'noindex')
    return ctx.view.render('payments::pages/public_authenticate', {
      token: ctx.params.token,
      done: charge.status === 'succeeded' || invoice.balanceDue <= 0,
      amount: formatMoney(invoice.balanceDue, invoice.currency, ctx.i18n.locale),
      number: invoice.number ?? String(invoice.id),
    })
  }

  /** Re-reads the PaymentIntent and sends the client to the bank's 3-D Secure page Stripe names */
  async continueToBank(ctx: HttpContext) {
    const tenantId = ctx.tenant!.id
    const charge = await chargeFor(tenantId, ctx.params.token)
    const back = `/p/payments/authenticate/${ctx.params.token}`
    const stripe = await clientFor(tenantId)
    const pi = await stripe.paymentIntents.retrieve(charge.paymentIntentId!)
    const url = pi.status === 'requires_action' ? pi.next_action?.redirect_to_url?.url : null
    return ctx.response.redirect().status(303).toPath(url ?? back)
  }
}
