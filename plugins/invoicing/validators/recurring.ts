/*
| Recurring profiles. The API sends lines with minor-unit prices and decimal quantities; the form
| sends decimals for both (a fixed set of line rows; empty rows are ignored).
*/
import vine from '@vinejs/vine'
import type { FieldContext } from '@vinejs/vine/types'
import { RECURRING_INTERVALS } from '../models/recurring_profile.js'
import { isCurrency } from '../services/money.js'

const calendarDate = vine.createRule((value, _options, field: FieldContext) => {
  if (typeof value !== 'string') return
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value)
  const date = match ? new Date(Date.UTC(+match[1], +match[2] - 1, +match[3])) : null
  if (!date || date.toISOString().slice(0, 10) !== value) {
    field.report('The {{ field }} field must be a date as YYYY-MM-DD', 'calendarDate', field)
  }
})

const currencyRule = vine.createRule((value, _options, field: FieldContext) => {
  if (typeof value !== 'string') return
  if (!isCurrency(value.toUpperCase())) field.report('The {{ field }} field must be an ISO 4217 currency code', 'currency', field)
  else field.mutate(value.toUpperCase(), field)
})

const text = (max: number) => vine.string().trim().maxLength(max).nullable().optional()
const date = () => vine.string().trim().use(calendarDate())

const header = {
  client_id: vine.number().withoutDecimals().positive(),
  name: vine.string().trim().minLength(1).maxLength(200),
  currency: vine.string().trim().fixedLength(3).use(currencyRule()).nullable().optional(),
  interval: vine.enum(RECURRING_INTERVALS),
  interval_days: vine.number().withoutDecimals().range([1, 3660]).nullable().optional(),
  start_on: date(),
  end_on: date().nullable().optional(),
  auto_finalize: vine.boolean().optional(),
  auto_send: vine.boolean().optional(),
  payment_terms_days: vine.number().withoutDecimals().range([0, 365]).nullable().optional(),
  notes: text(5000),
  terms: text(5000),
}

const apiLine = vine.object({
  product_id: vine.number().withoutDecimals().positive().nullable().optional(),
  description: vine.string().trim().minLength(1).maxLength(2000),
  quantity: vine.union([
    vine.union.if((v) => typeof v === 'number', vine.number().positive().max(1_000_000_000)),
    vine.union.else(vine.string().trim().regex(/^\d+([.,]\d{1,4})?$/)),
  ]),
  unit: vine.string().trim().toUpperCase().regex(/^[A-Z0-9]{2,3}$/).nullable().optional(),
  unit_price: vine.number().withoutDecimals().range([-9_000_000_000_000, 9_000_000_000_000]),
  tax_rate_id: vine.number().withoutDecimals().positive().nullable().optional(),
})

export const apiProfileValidator = vine.create(vine.object({ ...header, lines: vine.array(apiLine).minLength(1).maxLength(100) }))

export const apiUpdateProfileValidator = vine.create(
  vine.object({
    ...header,
    client_id: vine.number().withoutDecimals().positive().optional(),
    name: vine.string().trim().minLength(1).maxLength(200).optional(),
    interval: vine.enum(RECURRING_INTERVALS).optional(),
    start_on: date().optional(),
    lines: vine.array(apiLine).minLength(1).maxLength(100).optional(),
  })
)

const formLine = vine.object({
  description: vine.string().trim().maxLength(2000).nullable().optional(),
  quantity: vine.string().trim().maxLength(20).nullable().optional(),
  unit: vine.string().trim().toUpperCase().regex(/^[A-Z0-9]{2,3}$/).nullable().optional(),
  unit_price: vine.string().trim().maxLength(30).nullable().optional(),
  tax_rate_id: vine.number().withoutDecimals().positive().nullable().optional(),
})

export const profileFormValidator = vine.create(vine.object({ ...header, lines: vine.array(formLine).maxLength(20).optional() }))
