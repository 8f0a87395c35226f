/* Plans and subscriptions input (API and staff forms); amounts are integer minor units */
import vine from '@vinejs/vine'
import { PLAN_INTERVALS } from '../models/plan.js'

const money = () => vine.number().withoutDecimals().min(0).max(1_000_000_000_000)

const planFields = {
  name: vine.string().trim().minLength(1).maxLength(200),
  price: money(),
  currency: vine.string().trim().toUpperCase().regex(/^[A-Z]{3}$/),
  interval: vine.enum(PLAN_INTERVALS),
  interval_count: vine.number().withoutDecimals().range([1, 52]),
  trial_days: vine.number().withoutDecimals().range([0, 730]),
  setup_fee: money(),
}

export const createPlanValidator = vine.create(
  vine.object({
    ...planFields,
    interval_count: planFields.interval_count.optional(),
    trial_days: planFields.trial_days.optional(),
    setup_fee: money().optional(),
  })
)

export const updatePlanValidator = vine.create(
  vine.object({
    name: planFields.name.clone().optional(),
    price: money().optional(),
    currency: planFields.currency.clone().optional(),
    interval: vine.enum(PLAN_INTERVALS).optional(),
    interval_count: vine.number().withoutDecimals().range([1, 52]).optional(),
    trial_days: vine.number().withoutDecimals().range([0, 730]).optional(),
    setup_fee: money().optional(),
    archived: vine.boolean().optional(),
  })
)

const isoDate = () => vine.string().trim().regex(/^\d{4}-\d{2}-\d{2}$/)

export const subscribeValidator = vine.create(
  vine.object({
    client_id: vine.number().withoutDecimals().positive(),
    plan_id: vine.number().withoutDecimals().positive(),
    start_on: isoDate().optional().nullable(),
  })
)

export const changePlanValidator = vine.create(vine.object({ plan_id: vine.number().withoutDecimals().positive() }))

export const cancelValidator = vine.create(vine.object({ at_period_end: vine.boolean().optional() }))
