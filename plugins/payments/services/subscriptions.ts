/*
| Service plans and subscriptions. A subscription is billed by an invoicing recurring profile
| (our numbering and PDFs; each period's invoice fires invoice.recurring.due and is charged
| off-session). Plan changes prorate by the rule in billing_math.ts; cancellation at period end
| ends the profile before the next period; pause / resume pause the profile.
*/
import { DateTime } from 'luxon'
import vine from '@vinejs/vine'
import { createRecurringProfile, endRecurringProfile, issueDocument, updateRecurringProfile } from '#plugins/invoicing/public'
import { NotFoundError } from '#exceptions/domain_errors'
import { defineListing } from '#api/pagination'
import { tenantContext } from '#tenancy/tenant_context'
import jobs from '#services/jobs'
import Plan, { type PlanInterval } from '../models/plan.js'
import Subscription from '../models/subscription.js'
import { PlanInUseError, SubscriptionStateError } from '../exceptions/billing_errors.js'
import { monthlyAmount, periodAround, prorate, recurringScheduleOf } from './billing_math.js'

export const todayUtc = () => DateTime.utc().toISODate()!

export class BillingFieldError extends Error {
  constructor(
    public field: string,
    public rule: string,
    message: string
  ) {
    super(message)
  }
}

export interface PlanInput {
  name: string
  price: number
  currency: string
  interval: PlanInterval
  interval_count: number
  trial_days: number
  setup_fee: number
}

function tenantId() {
  return tenantContext.requireTenant('payments billing').id
}

/* ----------------------------------------------------------------------------------- plans */

export const plansListing = defineListing({
  sorts: { name: 'payments_plans.name', created_at: 'payments_plans.created_at' },
  defaultSort: 'name',
  filters: { archived: vine.boolean().optional(), currency: vine.string().trim().fixedLength(3).toUpperCase().optional() },
})

export function plansQuery(params: { archived?: boolean; currency?: string }) {
  const query = Plan.query()
  if (params.archived === true) query.whereNotNull('payments_plans.archived_at')
  else if (params.archived === false) query.whereNull('payments_plans.archived_at')
  if (params.currency) query.where('payments_plans.currency', params.currency)
  return query
}

export async function findPlan(id: unknown) {
  const n = Number(id)
  const plan = Number.isSafeInteger(n) && n > 0 ? await Plan.find(n) : null
  if (!plan) throw new NotFoundError()
  return plan
}

async function checkPlan(input: Partial<PlanInput>, plan?: Plan) {
  const cadence = { interval: input.interval ?? plan!.interval, intervalCount: input.interval_count ?? plan!.intervalCount }
  if (!recurringScheduleOf(cadence)) throw new BillingFieldError('interval_count', 'cadence', 'Weekly plans take any count; monthly plans 1, 3 or 12; yearly plans 1')
  if (input.name !== undefined) {
    const clash = await Plan.query().where('name', input.name).if(plan, (q) => q.whereNot('id', plan!.id)).first()
    if (clash) throw new BillingFieldError('name', 'unique', 'A plan with this name exists')
  }
}

export async function createPlan(input: PlanInput) {
  await checkPlan(input)
  return Plan.create({
    tenantId: tenantId(),
    name: input.name,
    price: input.price,
    currency: input.currency,
    interval: input.interval,
    intervalCount: input.interval_count,
    trialDays: input.trial_days,
    setupFee: input.setup_fee,
  })
}

/** Price and cadence changes apply to new subscriptions and to existing ones from a plan change on */
export async function updatePlan(plan: Plan, input: Partial<PlanInput> & { archived?: boolean }) {
  await checkPlan(input, plan)
  const used = await Subscription.query().where('plan_id', plan.id).first()
  if (used && (input.currency !== undefined && input.currency !== plan.currency)) throw new BillingFieldError('currency', 'locked', 'The currency of a plan with subscriptions cannot change')
  if (used && ((input.interval && input.interval !== plan.interval) || (input.interval_count && input.interval_count !== plan.intervalCount))) {
    throw new BillingFieldError('interval', 'locked', 'The interval of a plan with subscriptions cannot change')
  }
  plan.merge({
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.price !== undefined ? { price: input.price } : {}),
    ...(input.currency !== undefined ? { currency: input.currency } : {}),
    ...(input.interval !== undefined ? { interval: input.interval } : {}),
    ...(input.interval_count !== undefined ? { intervalCount: input.interval_count } : {}),
    ...(input.trial_days !== undefined ? { trialDays: input.trial_days } : {}),
    ...(input.setup_fee !== undefined ? { setupFee: input.setup_fee } : {}),
    ...(input.archived !== undefined ? { archivedAt: input.archived ? (plan.archivedAt ?? DateTime.now()) : null } : {}),
  })
  await plan.save()
  return plan
}

export async function deletePlan(plan: Plan) {
  if (await Subscription.query().where('plan_id', plan.id).first()) throw new PlanInUseError()
  await plan.delete()
}

export function serializePlan(p: Plan) {
  return {
    id: p.id,
    name: p.name,
    price: p.price,
    currency: p.currency,
    interval: p.interval,
    interval_count: p.intervalCount,
    trial_days: p.trialDays,
    setup_fee: p.setupFee,
    monthly_amount: monthlyAmount(p.price, p),
    archived: Boolean(p.archivedAt),
    created_at: p.createdAt.toISO(),
  }
}

/* --------------------------------------------------------------------------- subscriptions */

export const subscriptionsListing = defineListing({
  sorts: { created_at: 'payments_subscriptions.created_at', anchor_on: 'payments_subscriptions.anchor_on' },
  defaultSort: '-created_at',
  filters: {
    status: vine.enum(['trialing', 'active', 'paused', 'canceled'] as const).optional(),
    plan_id: vine.number().withoutDecimals().positive().optional(),
    client_id: vine.number().withoutDecimals().positive().optional(),
  },
})

export function subscriptionsQuery(params: { status?: string; plan_id?: number; client_id?: number }) {
  const query = Subscription.query()
  if (params.status) query.where('payments_subscriptions.status', params.status)
  if (params.plan_id) query.where('payments_subscriptions.plan_id', params.plan_id)
  if (params.client_id) query.where('payments_subscriptions.client_id', params.client_id)
  return query
}

export async function findSubscription(id: unknown) {
  const n = Number(id)
  const sub = Number.isSafeInteger(n) && n > 0 ? await Subscription.find(n) : null
  if (!sub) throw new NotFoundError()
  return refreshStatus(sub)
}

/** Time moves states on: a trial ends, a cancellation at period end takes effect */
export async function refreshStatus(sub: Subscription, today = todayUtc()) {
  let status = sub.status
  if (status === 'trialing' && sub.trialEndsOn && today >= sub.trialEndsOn) status = 'active'
  if (status !== 'canceled' && sub.cancelAtPeriodEnd && sub.endsOn && today >= sub.endsOn) status = 'canceled'
  if (status !== sub.status) {
    sub.status = status
    if (status === 'canceled') sub.canceledAt = sub.canceledAt ?? DateTime.now()
    await sub.save()
  }
  return sub
}

export async function subscribe(input: { client_id: number; plan_id: number; start_on?: string | null }) {
  const plan = await findPlan(input.plan_id)
  if (plan.archivedAt) throw new BillingFieldError('plan_id', 'archived', 'This plan is archived')
  const schedule = recurringScheduleOf(plan)!
  const startOn = input.start_on ?? todayUtc()
  const trialEndsOn = plan.trialDays > 0 ? DateTime.fromISO(startOn, { zone: 'utc' }).plus({ days: plan.trialDays }).toISODate()! : null
  const anchorOn = trialEndsOn ?? startOn
  const profile = await createRecurringProfile({
    clientId: input.client_id,
    name: plan.name,
    currency: plan.currency,
    description: plan.name,
    unitPrice: plan.price,
    interval: schedule.interval,
    intervalDays: schedule.interval_days,
    startOn: anchorOn,
  })
  const sub = await Subscription.create({
    tenantId: tenantId(),
    clientId: input.client_id,
    planId: plan.id,
    recurringProfileId: profile.id,
    status: trialEndsOn ? 'trialing' : 'active',
    anchorOn,
    trialEndsOn,
    cancelAtPeriodEnd: false,
    endsOn: null,
    canceledAt: null,
  })
  if (plan.setupFee > 0) {
    const invoice = await issueDocument('invoice', { clientId: input.client_id, currency: plan.currency, description: `${plan.name}: setup fee`, unitPrice: plan.setupFee, issueDate: startOn })
    await jobs.dispatch('payments:charge_invoice', { tenantId: sub.tenantId, invoiceId: invoice.id })
  }
  return sub
}

function assertChangeable(sub: Subscription) {
  if (sub.status === 'canceled') throw new SubscriptionStateError('The subscription is canceled')
  if (sub.status === 'paused') throw new SubscriptionStateError('Resume the subscription before changing its plan')
}

/** Switches the plan today; see billing_math.ts for the proration rule. Returns the proration document */
export async function changePlan(sub: Subscription, planId: number, changeOn = todayUtc()) {
  assertChangeable(sub)
  const from = await findPlan(sub.planId)
  const to = await findPlan(planId)
  if (to.id === from.id) throw new BillingFieldError('plan_id', 'same', 'The subscription is on this plan already')
  if (to.archivedAt) throw new BillingFieldError('plan_id', 'archived', 'This plan is archived')
  if (to.currency !== from.currency) throw new BillingFieldError('plan_id', 'currency', 'The new plan must be in the same currency')
  if (to.interval !== from.interval || to.intervalCount !== from.intervalCount) {
    throw new BillingFieldError('plan_id', 'interval', 'The new plan must bill at the same interval; cancel and subscribe for another interval')
  }
  let proration = null
  let document = null
  /* a trial, or a change before the first billed day, has nothing billed to prorate */
  if (sub.status === 'active' && changeOn >= sub.anchorOn) {
    const period = periodAround(sub.anchorOn, from, changeOn)
    proration = prorate({ oldPrice: from.price, newPrice: to.price, periodStart: period.start, periodEnd: period.end, changeOn })
    const label = `${from.name} → ${to.name} (${proration.remainingDays}/${proration.periodDays})`
    if (proration.net > 0) {
      document = await issueDocument('invoice', { clientId: sub.clientId, currency: to.currency, description: label, unitPrice: proration.net, issueDate: changeOn })
      await jobs.dispatch('payments:charge_invoice', { tenantId: sub.tenantId, invoiceId: document.id })
    } else if (proration.net < 0) {
      document = await issueDocument('credit_note', { clientId: sub.clientId, currency: to.currency, description: label, unitPrice: -proration.net, issueDate: changeOn })
    }
  }
  if (sub.recurringProfileId) await updateRecurringProfile(sub.recurringProfileId, { name: to.name, description: to.name, unitPrice: to.price })
  sub.planId = to.id
  await sub.save()
  return { subscription: sub, proration, document }
}

export async function pause(sub: Subscription) {
  if (sub.status === 'canceled') throw new SubscriptionStateError('The subscription is canceled')
  if (sub.status === 'paused') return sub
  if (sub.recurringProfileId) await updateRecurringProfile(sub.recurringProfileId, { paused: true })
  sub.status = 'paused'
  await sub.save()
  return sub
}

export async function resume(sub: Subscription) {
  if (sub.status !== 'paused') throw new SubscriptionStateError('Only a paused subscription can be resumed')
  if (sub.recurringProfileId) await updateRecurringProfile(sub.recurringProfileId, { paused: false })
  sub.status = sub.trialEndsOn && todayUtc() < sub.trialEndsOn ? 'trialing' : 'active'
  await sub.save()
  return sub
}

/**
 * Cancels now (the profile ends, nothing more is billed) or at the end of the current period
 * (the profile's last billed period is the current one). A trial canceled "at period end" ends
 * with the trial, before anything is billed.
 */
export async function cancel(sub: Subscription, atPeriodEnd: boolean, today = todayUtc()) {
  if (sub.status === 'canceled') throw new SubscriptionStateError('The subscription is canceled already')
  const plan = await findPlan(sub.planId)
  const endsOn = atPeriodEnd ? (today < sub.anchorOn ? sub.anchorOn : periodAround(sub.anchorOn, plan, today).end) : today
  if (!atPeriodEnd || today < sub.anchorOn) {
    if (sub.recurringProfileId) await endRecurringProfile(sub.recurringProfileId)
  } else if (sub.recurringProfileId) {
    await updateRecurringProfile(sub.recurringProfileId, { endOn: DateTime.fromISO(endsOn, { zone: 'utc' }).minus({ days: 1 }).toISODate()! })
  }
  sub.merge({ cancelAtPeriodEnd: atPeriodEnd, endsOn })
  if (!atPeriodEnd) sub.merge({ status: 'canceled', canceledAt: DateTime.now() })
  await sub.save()
  return refreshStatus(sub, today)
}

export function serializeSubscription(s: Subscription, plan?: Plan | null) {
  const period = plan && s.status !== 'canceled' && s.status !== 'trialing' ? periodAround(s.anchorOn, plan, todayUtc()) : null
  return {
    id: s.id,
    client_id: s.clientId,
    plan_id: s.planId,
    status: s.status,
    anchor_on: s.anchorOn,
    trial_ends_on: s.trialEndsOn,
    current_period_start: period?.start ?? null,
    current_period_end: period?.end ?? null,
    cancel_at_period_end: s.cancelAtPeriodEnd,
    ends_on: s.endsOn,
    canceled_at: s.canceledAt?.toISO() ?? null,
    recurring_profile_id: s.recurringProfileId,
    created_at: s.createdAt.toISO(),
  }
}

/** Monthly recurring revenue per plan and currency, from subscriptions that bill now */
export async function mrrByPlan() {
  const plans = await Plan.query().orderBy('name')
  const subs = await Subscription.query().whereIn('status', ['active', 'trialing'])
  const today = todayUtc()
  const rows = plans.map((plan) => {
    const billing = subs.filter((s) => s.planId === plan.id && (s.status === 'active' || (s.trialEndsOn !== null && today >= s.trialEndsOn)) && !(s.endsOn && today >= s.endsOn))
    const monthly = monthlyAmount(plan.price, plan)
    return { plan_id: plan.id, plan_name: plan.name, currency: plan.currency, subscriptions: billing.length, monthly_amount: monthly, mrr: monthly * billing.length }
  })
  const totals: Record<string, number> = {}
  for (const r of rows) totals[r.currency] = (totals[r.currency] ?? 0) + r.mrr
  return { plans: rows, totals: Object.entries(totals).map(([currency, mrr]) => ({ currency, mrr })) }
}
