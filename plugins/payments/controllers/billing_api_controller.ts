import type { HttpContext } from '@adonisjs/core/http'
import { errors as vineErrors } from '@vinejs/vine'
import Plan from '../models/plan.js'
import { cancelValidator, changePlanValidator, createPlanValidator, subscribeValidator, updatePlanValidator } from '../validators/billing.js'
import {
  BillingFieldError,
  cancel,
  changePlan,
  createPlan,
  deletePlan,
  findPlan,
  findSubscription,
  mrrByPlan,
  pause,
  plansListing,
  plansQuery,
  resume,
  serializePlan,
  serializeSubscription,
  subscribe,
  subscriptionsListing,
  subscriptionsQuery,
  updatePlan,
  type PlanInput,
} from '../services/subscriptions.js'
import type Subscription from '../models/subscription.js'

/** A refused field answers 422 like a validation error, with the field named */
export async function asValidation<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (error) {
    if (!(error instanceof BillingFieldError)) throw error
    throw new vineErrors.E_VALIDATION_ERROR([{ field: error.field, message: error.message, rule: error.rule }])
  }
}

async function withPlan(sub: Subscription) {
  return serializeSubscription(sub, await Plan.find(sub.planId))
}

/** /api/v1/plans */
export class PlansApiController {
  async index(ctx: HttpContext) {
    const params = await plansListing.validate(ctx)
    return plansListing.respond(ctx, await plansListing.paginate(plansQuery(params), params), serializePlan)
  }

  async store(ctx: HttpContext) {
    const body = await ctx.request.validateUsing(createPlanValidator)
    const input: PlanInput = { interval_count: 1, trial_days: 0, setup_fee: 0, ...body }
    const plan = await asValidation(() => createPlan(input))
    ctx.response.header('location', `/api/v1/plans/${plan.id}`)
    return ctx.response.created({ data: serializePlan(plan) })
  }

  async show({ params }: HttpContext) {
    return { data: serializePlan(await findPlan(params.id)) }
  }

  async update(ctx: HttpContext) {
    const plan = await findPlan(ctx.params.id)
    const body = await ctx.request.validateUsing(updatePlanValidator)
    return { data: serializePlan(await asValidation(() => updatePlan(plan, body))) }
  }

  async destroy({ params, response }: HttpContext) {
    await deletePlan(await findPlan(params.id))
    return response.noContent()
  }
}

/** /api/v1/subscriptions */
export class SubscriptionsApiController {
  async index(ctx: HttpContext) {
    const params = await subscriptionsListing.validate(ctx)
    const page = await subscriptionsListing.paginate(subscriptionsQuery(params), params)
    const plans = new Map((await Plan.query().whereIn('id', [...new Set(page.rows.map((s) => s.planId)), 0])).map((p) => [p.id, p]))
    return subscriptionsListing.respond(ctx, page, (s) => serializeSubscription(s, plans.get(s.planId)))
  }

  async store(ctx: HttpContext) {
    const body = await ctx.request.validateUsing(subscribeValidator)
    const sub = await asValidation(() => subscribe(body))
    ctx.response.header('location', `/api/v1/subscriptions/${sub.id}`)
    return ctx.response.created({ data: await withPlan(sub) })
  }

  async show({ params }: HttpContext) {
    return { data: await withPlan(await findSubscription(params.id)) }
  }

  async pause({ params }: HttpContext) {
    return { data: await withPlan(await pause(await findSubscription(params.id))) }
  }

  async resume({ params }: HttpContext) {
    return { data: await withPlan(await resume(await findSubscription(params.id))) }
  }

  async cancel(ctx: HttpContext) {
    const sub = await findSubscription(ctx.params.id)
    const body = await ctx.request.validateUsing(cancelValidator)
    return { data: await withPlan(await cancel(sub, body.at_period_end ?? false)) }
  }

  async changePlan(ctx: HttpContext) {
    const sub = await findSubscription(ctx.params.id)
    const body = await ctx.request.validateUsing(changePlanValidator)
    const result = await asValidation(() => changePlan(sub, body.plan_id))
    return {
      data: await withPlan(result.subscription),
      proration: result.proration
        ? { ...result.proration, document_id: result.document?.id ?? null, document_type: result.document?.type ?? null }
        : null,
    }
  }

  /** Cancels now: the same as POST /cancel without at_period_end */
  async destroy({ params }: HttpContext) {
    return { data: await withPlan(await cancel(await findSubscription(params.id), false)) }
  }

  async mrr() {
    return { data: await mrrByPlan() }
  }
}
