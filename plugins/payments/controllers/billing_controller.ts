import type { HttpContext } from '@adonisjs/core/http'
import vine, { errors as vineErrors } from '@vinejs/vine'
import { clientOptions, clientEmail } from '#plugins/invoicing/public'
import { DomainError, NotFoundError } from '#exceptions/domain_errors'
import { queueMail } from '#services/mail_dispatcher'
import { tenantUrl } from '#services/mail_service'
import Plan, { PLAN_INTERVALS } from '../models/plan.js'
import Subscription from '../models/subscription.js'
import {
  BillingFieldError,
  cancel,
  changePlan,
  createPlan,
  findPlan,
  findSubscription,
  mrrByPlan,
  pause,
  refreshStatus,
  resume,
  serializePlan,
  serializeSubscription,
  subscribe,
  updatePlan,
} from '../services/subscriptions.js'
import { customerRow, detachMethod, findMethod, makeDefault, methodsOf } from '../services/billing_customers.js'
import { formatMoney } from '../services/payment_notices.js'

/** Decimal text in a currency's major unit → integer minor units (null when it is not a number) */
export function toMinor(input: unknown, currency: string) {
  const text = String(input ?? '').trim().replace(',', '.')
  if (!/^\d{1,12}(\.\d{1,3})?$/.test(text)) return null
  let digits = 2
  try {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2
  } catch {
    return null
  }
  const [whole, frac = ''] = text.split('.')
  if (frac.length > digits) return null
  return Number(whole) * 10 ** digits + Number(frac.padEnd(digits, '0') || 0)
}

const planForm = vine.create(
  vine.object({
    name: vine.string().trim().minLength(1).maxLength(200),
    price: vine.string().trim().maxLength(20),
    currency: vine.string().trim().toUpperCase().regex(/^[A-Z]{3}$/),
    interval: vine.enum(PLAN_INTERVALS),
    interval_count: vine.number().withoutDecimals().range([1, 52]),
    trial_days: vine.number().withoutDecimals().range([0, 730]).optional(),
    setup_fee: vine.string().trim().maxLength(20).optional(),
  })
)
const subscribeForm = vine.create(vine.object({ client_id: vine.number().withoutDecimals().positive(), plan_id: vine.number().withoutDecimals().positive() }))
const changeForm = vine.create(vine.object({ plan_id: vine.number().withoutDecimals().positive() }))

function fieldError(field: string, message: string) {
  return new vineErrors.E_VALIDATION_ERROR([{ field, message, rule: 'refused' }])
}

async function refusedAsField<T>(ctx: HttpContext, back: string, fn: () => Promise<T>) {
  try {
    return await fn()
  } catch (error) {
    if (error instanceof BillingFieldError) throw fieldError(error.field, error.message)
    if (error instanceof DomainError && !(error instanceof NotFoundError)) {
      ctx.session.flash('error', error.messageKey ? ctx.i18n.t(error.messageKey) : error.message)
      ctx.response.redirect(back)
      return null
    }
    throw error
  }
}

/** Staff pages: plans, subscriptions with MRR, clients' saved payment methods */
export default class BillingController {
  async plans(ctx: HttpContext) {
    const plans = await Plan.query().orderBy('archived_at', 'asc').orderBy('name')
    return ctx.view.render('payments::pages/billing_plans', { plans: plans.map(serializePlan), formatMoney, intervals: PLAN_INTERVALS })
  }

  async storePlan(ctx: HttpContext) {
    const body = await ctx.request.validateUsing(planForm)
    const price = toMinor(body.price, body.currency)
    const setupFee = body.setup_fee ? toMinor(body.setup_fee, body.currency) : 0
    if (price === null) throw fieldError('price', ctx.i18n.t('payments_billing.errors.amount_invalid'))
    if (setupFee === null) throw fieldError('setup_fee', ctx.i18n.t('payments_billing.errors.amount_invalid'))
    const plan = await refusedAsField(ctx, '/app/payments/plans', () =>
      createPlan({ name: body.name, price, currency: body.currency, interval: body.interval, interval_count: body.interval_count, trial_days: body.trial_days ?? 0, setup_fee: setupFee })
    )
    if (!plan) return
    ctx.session.flash('success', ctx.i18n.t('payments_billing.staff.plan_created', { name: plan.name }))
    return ctx.response.redirect('/app/payments/plans')
  }

  async archivePlan(ctx: HttpContext) {
    const plan = await findPlan(ctx.params.id)
    await updatePlan(plan, { archived: !plan.archivedAt })
    return ctx.response.redirect('/app/payments/plans')
  }

  async subscriptions(ctx: HttpContext) {
    const subs = await Subscription.query().orderBy('id', 'desc').limit(200)
    for (const s of subs) await refreshStatus(s)
    const plans = await Plan.query().orderBy('name')
    const byId = new Map(plans.map((p) => [p.id, p]))
    const clients = await clientOptions(ctx.tenant!.id)
    const names = new Map(clients.map((c) => [c.id, c.name]))
    return ctx.view.render('payments::pages/billing_subscriptions', {
      rows: subs.map((s) => ({ ...serializeSubscription(s, byId.get(s.planId)), planName: byId.get(s.planId)?.name ?? '', clientName: names.get(s.clientId) ?? `#${s.clientId}` })),
      plans: plans.filter((p) => !p.archivedAt).map(serializePlan),
      clients,
      mrr: await mrrByPlan(),
      formatMoney,
    })
  }

  async subscribe(ctx: HttpContext) {
    const body = await ctx.request.validateUsing(subscribeForm)
    const sub = await refusedAsField(ctx, '/app/payments/subscriptions', () => subscribe(body))
    if (!sub) return
    ctx.session.flash('success', ctx.i18n.t('payments_billing.staff.subscribed'))
    return ctx.response.redirect('/app/payments/subscriptions')
  }

  async action(ctx: HttpContext) {
    const sub = await findSubscription(ctx.params.id)
    const back = '/app/payments/subscriptions'
    const action = ctx.params.action as string
    const done = await refusedAsField(ctx, back, async () => {
      if (action === 'pause') return pause(sub)
      if (action === 'resume') return resume(sub)
      if (action === 'cancel') return cancel(sub, ctx.request.input('at_period_end') === '1')
      if (action === 'change-plan') {
        const { plan_id: planId } = await ctx.request.validateUsing(changeForm)
        return (await changePlan(sub, planId)).subscription
      }
      throw new NotFoundError()
    })
    if (!done) return
    ctx.session.flash('success', ctx.i18n.t(`payments_billing.staff.done_${action.replace('-', '_')}`))
    return ctx.response.redirect(back)
  }

  async methods(ctx: HttpContext) {
    const tenantId = ctx.tenant!.id
    const clients = await clientOptions(tenantId)
    const clientId = Number(ctx.request.qs().client_id) || null
    const selected = clientId ? clients.find((c) => c.id === clientId) : null
    if (clientId && !selected) throw new NotFoundError()
    const methods = selected ? await methodsOf(tenantId, selected.id) : []
    return ctx.view.render('payments::pages/billing_methods', { clients, selected, methods })
  }

  async detach(ctx: HttpContext) {
    const method = await findMethod(ctx.tenant!.id, ctx.params.id)
    await refusedAsField(ctx, `/app/payments/methods?client_id=${method.clientId}`, () => detachMethod(method))
    ctx.session.flash('success', ctx.i18n.t('payments_billing.staff.detached'))
    return ctx.response.redirect(`/app/payments/methods?client_id=${method.clientId}`)
  }

  async makeDefault(ctx: HttpContext) {
    const method = await findMethod(ctx.tenant!.id, ctx.params.id)
    await makeDefault(method)
    return ctx.response.redirect(`/app/payments/methods?client_id=${method.clientId}`)
  }

  /** Mails the client the public "save a card" link */
  async sendSetupLink(ctx: HttpContext) {
    const tenant = ctx.tenant!
    const clients = await clientOptions(tenant.id)
    const client = clients.find((c) => c.id === Number(ctx.params.clientId))
    if (!client) throw new NotFoundError()
    const back = `/app/payments/methods?client_id=${client.id}`
    const to = await clientEmail(tenant.id, client.id)
    if (!to) {
      ctx.session.flash('error', ctx.i18n.t('payments_billing.staff.no_email'))
      return ctx.response.redirect(back)
    }
    const row = await customerRow(tenant.id, client.id)
    const params = { tenant: tenant.name }
    await queueMail({
      to,
      locale: ctx.i18n.locale,
      subject: ctx.i18n.t('payments_billing.mail.setup_subject', params),
      template: 'emails/notification',
      data: {
        heading: ctx.i18n.t('payments_billing.mail.setup_subject', params),
        intro: ctx.i18n.t('payments_billing.mail.setup_body', params),
        actionUrl: await tenantUrl(tenant, `/p/payments/cards/${row.setupToken}`),
        actionLabel: ctx.i18n.t('payments_billing.mail.setup_action', params),
        footnote: null,
      },
    })
    ctx.session.flash('success', ctx.i18n.t('payments_billing.staff.link_sent', { email: to }))
    return ctx.response.redirect(back)
  }
}
