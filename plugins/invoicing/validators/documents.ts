/*
| Request bodies of the documents and payments API (snake_case JSON). Amounts are integer minor
| units of the document's currency; quantities and percentages are decimal strings or numbers
| ("1.5", "19", "7.7"), converted here into the stored integer units.
*/
import vine from '@vinejs/vine'
import type { FieldContext } from '@vinejs/vine/types'
import { TAX_CATEGORIES } from '../models/tax_rate.js'
import { PAYMENT_METHODS } from '../models/payment.js'
import { isCurrency, parseQuantity, parseRate } from '../services/money.js'

/* UNCL4461 payment means codes worth offering */
export const PAYMENT_MEANS = ['1', '10', '20', '30', '31', '42', '48', '49', '54', '55', '57', '58', '59', '68', '97', 'ZZZ'] as const

const calendarDate = vine.createRule((value, _options, field: FieldContext) => {
  if (typeof value !== 'string') return
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value)
  const date = match ? new Date(Date.UTC(+match[1], +match[2] - 1, +match[3])) : null
  if (!date || date.toISOString().slice(0, 10) !== value) {
    field.report('The {{ field }} field must be a date as YYYY-MM-DD', 'calendarDate', field)
  }
})

/* quantity: up to 4 decimals → integer ten-thousandths */
const quantityRule = vine.createRule((value, _options, field: FieldContext) => {
  if (typeof value !== 'string' && typeof value !== 'number') {
    field.report('The {{ field }} field must be a number', 'quantity', field)
    return
  }
  try {
    const parsed = parseQuantity(value)
    if (parsed === 0 || Math.abs(parsed) > 1_000_000_000 * 10_000) throw new Error('range')
    field.mutate(parsed, field)
  } catch {
    field.report('The {{ field }} field must be a non-zero number with at most 4 decimals', 'quantity', field)
  }
})

/* percent: up to 3 decimals, 0..100 → integer thousandths of a percent */
const percentRule = vine.createRule((value, _options, field: FieldContext) => {
  if (typeof value !== 'string' && typeof value !== 'number') {
    field.report('The {{ field }} field must be a percentage', 'percent', field)
    return
  }
  try {
    field.mutate(parseRate(value), field)
  } catch {
    field.report('The {{ field }} field must be a percentage from 0 to 100 with at most 3 decimals', 'percent', field)
  }
})

const currencyRule = vine.createRule((value, _options, field: FieldContext) => {
  if (typeof value === 'string' && !isCurrency(value.toUpperCase())) {
    field.report('The {{ field }} field must be an ISO 4217 currency code', 'currency', field)
  }
})

const amount = () => vine.number().withoutDecimals().range([-9_000_000_000_000, 9_000_000_000_000])
const text = (max: number) => vine.string().trim().maxLength(max).nullable().optional()
const date = () => vine.string().trim().use(calendarDate()).nullable().optional()

const line = vine.object({
  product_id: vine.number().withoutDecimals().positive().nullable().optional(),
  description: vine.string().trim().minLength(1).maxLength(2000),
  quantity: vine.any().use(quantityRule()),
  unit: vine.string().trim().regex(/^[A-Z0-9]{1,3}$/).nullable().optional(),
  unit_price: amount(),
  discount_percent: vine.any().use(percentRule()).optional(),
  discount_amount: vine.number().withoutDecimals().min(0).optional(),
  tax_rate_id: vine.number().withoutDecimals().positive().nullable().optional(),
  tax_percent: vine.any().use(percentRule()).optional(),
  tax_category: vine.enum(TAX_CATEGORIES).optional(),
  tax_exemption_reason: text(500),
})

const header = {
  currency: vine.string().trim().fixedLength(3).use(currencyRule()).optional(),
  language: vine.string().trim().regex(/^[a-z]{2}(-[A-Z]{2})?$/).optional(),
  prices_include_tax: vine.boolean().optional(),
  series_id: vine.number().withoutDecimals().positive().nullable().optional(),
  issue_date: date(),
  due_date: date(),
  delivery_date: date(),
  valid_until: date(),
  buyer_reference: text(200),
  order_reference: text(200),
  payment_means_code: vine.enum(PAYMENT_MEANS).optional(),
  payment_terms_days: vine.number().withoutDecimals().range([0, 365]).nullable().optional(),
  notes: text(5000),
  terms: text(5000),
  footer: text(2000),
  discount_percent: vine.any().use(percentRule()).nullable().optional(),
  discount_amount: vine.number().withoutDecimals().min(0).nullable().optional(),
}

export const createDocumentValidator = vine.create(
  vine.object({
    client_id: vine.number().withoutDecimals().positive(),
    ...header,
    lines: vine.array(line).minLength(0).maxLength(500),
  })
)

export const updateDocumentValidator = vine.create(
  vine.object({
    client_id: vine.number().withoutDecimals().positive().optional(),
    ...header,
    lines: vine.array(line).maxLength(500).optional(),
  })
)

export const creditNoteValidator = vine.create(
  vine.object({
    invoice_id: vine.number().withoutDecimals().positive(),
    /* absent: credit every line in full */
    lines: vine
      .array(vine.object({ line_id: vine.number().withoutDecimals().positive(), quantity: vine.any().use(quantityRule()).optional() }))
      .minLength(1)
      .maxLength(500)
      .optional(),
    finalize: vine.boolean().optional(),
  })
)

export const writeOffValidator = vine.create(vine.object({ reason: text(500) }))

export const recordPaymentValidator = vine.create(
  vine.object({
    invoice_id: vine.number().withoutDecimals().positive().optional().requiredIfMissing('client_id'),
    client_id: vine.number().withoutDecimals().positive().optional(),
    amount: vine.number().withoutDecimals().positive().max(9_000_000_000_000),
    currency: vine.string().trim().fixedLength(3).use(currencyRule()),
    method: vine.enum(PAYMENT_METHODS),
    paid_on: date(),
    reference: text(200),
    notes: text(2000),
  })
)

export const refundPaymentValidator = vine.create(
  vine.object({
    amount: vine.number().withoutDecimals().positive().max(9_000_000_000_000).optional(),
    paid_on: date(),
    reference: text(200),
    method: vine.enum(PAYMENT_METHODS).optional(),
  })
)

export const applyCreditValidator = vine.create(
  vine.object({ amount: vine.number().withoutDecimals().positive().max(9_000_000_000_000).optional() })
)

type Body = Record<string, any>

function discountOf(body: Body) {
  if (body.discount_percent !== undefined && body.discount_percent !== null) {
    return { discountType: 'percent' as const, discountValue: body.discount_percent as number }
  }
  if (body.discount_amount !== undefined && body.discount_amount !== null) {
    return { discountType: 'amount' as const, discountValue: body.discount_amount as number }
  }
  if (body.discount_percent === null || body.discount_amount === null) return { discountType: null, discountValue: 0 }
  return {}
}

/** Maps a validated API body onto the documents service input */
export function toDraftInput(body: Body) {
  const out: Record<string, unknown> = {
    clientId: body.client_id,
    currency: body.currency,
    language: body.language,
    pricesIncludeTax: body.prices_include_tax,
    seriesId: body.series_id,
    issueDate: body.issue_date,
    dueDate: body.due_date,
    deliveryDate: body.delivery_date,
    validUntil: body.valid_until,
    buyerReference: body.buyer_reference,
    orderReference: body.order_reference,
    paymentMeansCode: body.payment_means_code,
    paymentTermsDays: body.payment_terms_days,
    notes: body.notes,
    terms: body.terms,
    footer: body.footer,
    ...discountOf(body),
  }
  if (body.lines) {
    out.lines = body.lines.map((l: Body) => ({
      productId: l.product_id ?? null,
      description: l.description,
      quantity: l.quantity,
      unit: l.unit ?? null,
      unitPrice: l.unit_price,
      ...discountOf(l),
      taxRateId: l.tax_rate_id ?? null,
      taxRate: l.tax_percent ?? 0,
      taxCategory: l.tax_category ?? (l.tax_percent ? 'S' : l.tax_rate_id ? undefined : 'S'),
      taxExemptionReason: l.tax_exemption_reason ?? null,
    }))
  }
  for (const key of Object.keys(out)) if (out[key] === undefined) delete out[key]
  return out
}
