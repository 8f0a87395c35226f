/*
| Validators for clients, contacts, products and tax rates. Field names are the API's snake_case
| names; the HTML forms post the same names, so one validator serves both.
*/
import vine from '@vinejs/vine'
import type { FieldContext } from '@vinejs/vine/types'
import { isCurrency, parseAmount, parseRate, MoneyError } from '../services/money.js'
import { TAX_CATEGORIES } from '../models/tax_rate.js'

export const CLIENT_KINDS = ['company', 'individual'] as const
export const CLIENT_LANGUAGES = ['en', 'de'] as const

const currencyRule = vine.createRule(
  (value, _options, field: FieldContext) => {
    if (typeof value !== 'string') return
    const upper = value.toUpperCase()
    if (!isCurrency(upper)) {
      field.report('The {{ field }} field must be an ISO 4217 currency code', 'currency', field)
      return
    }
    field.mutate(upper, field)
  },
  { name: 'currency' }
)

/* EU VAT ids are a country prefix plus 2–13 characters; other countries' tax numbers go in tax_id */
const vatIdRule = vine.createRule(
  (value, _options, field: FieldContext) => {
    if (typeof value !== 'string') return
    const normalised = value.replace(/[\s.-]/g, '').toUpperCase()
    if (!/^[A-Z]{2}[A-Z0-9+*]{2,13}$/.test(normalised)) {
      field.report('The {{ field }} field must be a VAT id such as DE123456789', 'vatId', field)
      return
    }
    field.mutate(normalised, field)
  },
  { name: 'vatId' }
)

const countryRule = vine.createRule(
  (value, _options, field: FieldContext) => {
    if (typeof value !== 'string') return
    const upper = value.toUpperCase()
    if (!/^[A-Z]{2}$/.test(upper)) {
      field.report('The {{ field }} field must be a two-letter country code', 'country', field)
      return
    }
    field.mutate(upper, field)
  },
  { name: 'country' }
)

const text = (max: number) => vine.string().trim().maxLength(max).nullable().optional()

export const clientFields = {
  kind: vine.enum(CLIENT_KINDS),
  name: vine.string().trim().minLength(1).maxLength(200),
  email: vine.string().trim().maxLength(254).email().nullable().optional(),
  phone: text(50),
  vat_id: vine.string().trim().maxLength(30).use(vatIdRule()).nullable().optional(),
  tax_id: text(50),
  currency: vine.string().trim().fixedLength(3).use(currencyRule()),
  language: vine.enum(CLIENT_LANGUAGES),
  payment_terms_days: vine.number().withoutDecimals().range([0, 365]).nullable().optional(),
  address_line1: text(200),
  address_line2: text(200),
  postal_code: text(20),
  city: text(100),
  region: text(100),
  country: vine.string().trim().fixedLength(2).use(countryRule()).nullable().optional(),
  notes: text(5000),
}

export const clientValidator = vine.create(vine.object(clientFields))

export const updateClientValidator = vine.create(
  vine.object({
    ...clientFields,
    kind: clientFields.kind.optional(),
    name: clientFields.name.clone().optional(),
    currency: clientFields.currency.clone().optional(),
    language: clientFields.language.optional(),
  })
)

export const contactFields = {
  first_name: vine.string().trim().minLength(1).maxLength(100),
  last_name: text(100),
  email: vine.string().trim().maxLength(254).email().nullable().optional(),
  phone: text(50),
  role: text(100),
  is_primary: vine.boolean().optional(),
}

export const contactValidator = vine.create(vine.object(contactFields))

export const apiContactValidator = vine.create(
  vine.object({ ...contactFields, client_id: vine.number().withoutDecimals().positive() })
)

export const updateContactValidator = vine.create(
  vine.object({ ...contactFields, first_name: contactFields.first_name.clone().optional() })
)

const productFields = {
  name: vine.string().trim().minLength(1).maxLength(200),
  description: text(5000),
  sku: vine.string().trim().maxLength(64).regex(/^[\w.\-/]+$/).nullable().optional(),
  unit: vine.string().trim().toUpperCase().regex(/^[A-Z0-9]{2,3}$/),
  currency: vine.string().trim().fixedLength(3).use(currencyRule()),
  tax_rate_id: vine.number().withoutDecimals().positive().nullable().optional(),
}

/* The form sends a decimal ("12.50"), parsed once the currency is known; the API sends minor units */
export const productFormValidator = vine.create(
  vine.object({ ...productFields, unit_price: vine.string().trim().maxLength(30) })
)

const minorUnits = () => vine.number().withoutDecimals().range([-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER])

export const apiProductValidator = vine.create(vine.object({ ...productFields, unit_price: minorUnits() }))

export const apiUpdateProductValidator = vine.create(
  vine.object({
    ...productFields,
    name: productFields.name.clone().optional(),
    unit: productFields.unit.clone().optional(),
    currency: productFields.currency.clone().optional(),
    unit_price: minorUnits().optional(),
  })
)

/** Minor units from a decimal, or the i18n key of the field error */
export function amountOrError(value: string | number, currency: string): { value: number } | { error: string } {
  try {
    return { value: parseAmount(value, currency) }
  } catch (error) {
    if (!(error instanceof MoneyError)) throw error
    return { error: `invoicing.errors.amount_${error.code}` }
  }
}

const taxRateFields = {
  name: vine.string().trim().minLength(1).maxLength(100),
  category: vine.enum(TAX_CATEGORIES),
  exemption_reason: text(500),
  is_default: vine.boolean().optional(),
}

/* The form sends a percentage ("7.7"); the API sends thousandths of a percent (7700) */
export const taxRateFormValidator = vine.create(vine.object({ ...taxRateFields, rate: vine.string().trim().maxLength(10) }))

const thousandths = () => vine.number().withoutDecimals().range([0, 100_000])

export const apiTaxRateValidator = vine.create(vine.object({ ...taxRateFields, rate: thousandths() }))

export const apiUpdateTaxRateValidator = vine.create(
  vine.object({
    ...taxRateFields,
    name: taxRateFields.name.clone().optional(),
    category: vine.enum(TAX_CATEGORIES).optional(),
    rate: thousandths().optional(),
  })
)

/** Thousandths of a percent from "19" / "7,7", or the i18n key of the field error */
export function rateOrError(value: string | number): { value: number } | { error: string } {
  try {
    return { value: parseRate(value) }
  } catch (error) {
    if (!(error instanceof MoneyError)) throw error
    return { error: `invoicing.errors.rate_${error.code}` }
  }
}
