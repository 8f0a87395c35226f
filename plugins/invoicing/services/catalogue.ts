/*
| Products and tax rates: the one service behind the catalogue pages and /api/v1/products,
| /api/v1/tax-rates. Every change is audited; rates are archived, never deleted, since issued
| documents copied them.
*/
import vine from '@vinejs/vine'
import { DateTime } from 'luxon'
import type Tenant from '#models/tenant'
import { audit, diff } from '#services/audit_service'
import { DomainError, NotFoundError } from '#exceptions/domain_errors'
import { defineListing, likeContains } from '#api/pagination'
import Product from '../models/product.js'
import TaxRate, { CATEGORIES_NEEDING_REASON, TAX_CATEGORIES, ZERO_RATE_CATEGORIES, type TaxCategory } from '../models/tax_rate.js'
import { toDecimal } from './money.js'

/** A refusal tied to one input field: the UI shows it next to the field, the API as a 422 problem */
export class FieldRefusedError extends DomainError {
  constructor(
    public field: string,
    messageKey: string,
    message: string
  ) {
    super(message, { code: 'E_VALIDATION_ERROR', status: 422, messageKey })
  }
}

export interface ProductInput {
  name: string
  description?: string | null
  sku?: string | null
  unit: string
  unit_price: number
  currency: string
  tax_rate_id?: number | null
}

export interface TaxRateInput {
  name: string
  rate: number
  category: TaxCategory
  exemption_reason?: string | null
  is_default?: boolean
}

function findBy<T>(finder: (id: number) => Promise<T | null>) {
  return async (id: unknown): Promise<T> => {
    const n = Number(id)
    const row = Number.isSafeInteger(n) && n > 0 ? await finder(n) : null
    if (!row) throw new NotFoundError()
    return row
  }
}

export const findProduct = findBy((id) => Product.find(id))
export const findTaxRate = findBy((id) => TaxRate.find(id))

export const productsListing = defineListing({
  sorts: { name: 'invoicing_products.name', created_at: 'invoicing_products.created_at' },
  defaultSort: 'name',
  filters: {
    q: vine.string().trim().maxLength(100).optional(),
    currency: vine.string().trim().toUpperCase().fixedLength(3).optional(),
    tax_rate_id: vine.number().withoutDecimals().positive().optional(),
    status: vine.enum(['active', 'archived', 'all'] as const).optional(),
  },
})

export type ProductListParams = Awaited<ReturnType<typeof productsListing.validate>>

export function productsQuery(params: Partial<ProductListParams>) {
  const query = Product.query()
  const status = params.status ?? 'active'
  if (status === 'active') query.whereNull('invoicing_products.archived_at')
  if (status === 'archived') query.whereNotNull('invoicing_products.archived_at')
  if (params.currency) query.where('invoicing_products.currency', params.currency)
  if (params.tax_rate_id) query.where('invoicing_products.tax_rate_id', params.tax_rate_id)
  if (params.q) {
    const term = likeContains(params.q)
    query.where((q) => {
      for (const column of ['name', 'sku', 'description']) {
        q.orWhereRaw(`lower(coalesce(invoicing_products.${column}, '')) like ? escape '\\'`, [term])
      }
    })
  }
  return query
}

export const taxRatesListing = defineListing({
  sorts: { name: 'invoicing_tax_rates.name', created_at: 'invoicing_tax_rates.created_at', rate: 'invoicing_tax_rates.rate' },
  defaultSort: 'name',
  filters: {
    category: vine.enum(TAX_CATEGORIES).optional(),
    status: vine.enum(['active', 'archived', 'all'] as const).optional(),
  },
})

export type TaxRateListParams = Awaited<ReturnType<typeof taxRatesListing.validate>>

export function taxRatesQuery(params: Partial<TaxRateListParams>) {
  const query = TaxRate.query()
  const status = params.status ?? 'active'
  if (status === 'active') query.whereNull('invoicing_tax_rates.archived_at')
  if (status === 'archived') query.whereNotNull('invoicing_tax_rates.archived_at')
  if (params.category) query.where('invoicing_tax_rates.category', params.category)
  return query
}

export function activeTaxRates() {
  return TaxRate.query().whereNull('archived_at').orderBy('is_default', 'desc').orderBy('name')
}

/* ---------------------------------------------------------------- products */

export function productView(product: Product) {
  return {
    name: product.name,
    description: product.description,
    sku: product.sku,
    unit: product.unit,
    unit_price: product.unitPrice,
    currency: product.currency,
    tax_rate_id: product.taxRateId,
    archived_at: product.archivedAt?.toUTC().toISO() ?? null,
  }
}

async function checkProduct(input: Partial<ProductInput>, product?: Product) {
  if (input.tax_rate_id) {
    const rate = await TaxRate.find(input.tax_rate_id)
    if (!rate) throw new FieldRefusedError('tax_rate_id', 'invoicing.errors.tax_rate_unknown', 'Unknown tax rate')
  }
  if (input.sku) {
    const clash = Product.query().where('sku', input.sku)
    if (product) clash.whereNot('id', product.id)
    if (await clash.first()) throw new FieldRefusedError('sku', 'invoicing.errors.sku_taken', 'This SKU is already used')
  }
}

function assignProduct(product: Product, input: Partial<ProductInput>) {
  if (input.name !== undefined) product.name = input.name
  if (input.description !== undefined) product.description = input.description ?? null
  if (input.sku !== undefined) product.sku = input.sku ?? null
  if (input.unit !== undefined) product.unit = input.unit
  if (input.unit_price !== undefined) product.unitPrice = input.unit_price
  if (input.currency !== undefined) product.currency = input.currency
  if (input.tax_rate_id !== undefined) product.taxRateId = input.tax_rate_id ?? null
}

export async function createProduct(input: ProductInput) {
  await checkProduct(input)
  const product = new Product()
  assignProduct(product, input)
  await product.save()
  await audit({ action: 'invoicing.product.created', subjectType: 'invoicing_product', subjectId: product.id, after: productView(product) })
  return product
}

export async function updateProduct(product: Product, input: Partial<ProductInput>) {
  await checkProduct(input, product)
  const before = productView(product)
  assignProduct(product, input)
  await product.save()
  const changes = diff(before, productView(product))
  if (Object.keys(changes.after).length) {
    await audit({ action: 'invoicing.product.updated', subjectType: 'invoicing_product', subjectId: product.id, ...changes })
  }
  return product
}

export async function setProductArchived(product: Product, archived: boolean) {
  if (Boolean(product.archivedAt) === archived) return product
  product.archivedAt = archived ? DateTime.utc() : null
  await product.save()
  await audit({
    action: archived ? 'invoicing.product.archived' : 'invoicing.product.restored',
    subjectType: 'invoicing_product',
    subjectId: product.id,
  })
  return product
}

export function serializeProduct(product: Product) {
  return {
    id: product.id,
    ...productView(product),
    unit_price_decimal: toDecimal(product.unitPrice, product.currency),
    created_at: product.createdAt.toUTC().toISO(),
    updated_at: product.updatedAt.toUTC().toISO(),
  }
}

/* ---------------------------------------------------------------- tax rates */

export function taxRateView(rate: TaxRate) {
  return {
    name: rate.name,
    rate: rate.rate,
    category: rate.category,
    exemption_reason: rate.exemptionReason,
    is_default: rate.isDefault,
    archived_at: rate.archivedAt?.toUTC().toISO() ?? null,
  }
}

/* EN 16931 rules: BR-E/AE/IC/G/O need an exemption reason and a 0% rate; Z is 0% too; S is above 0% */
function checkTaxRate(values: TaxRateInput) {
  if (CATEGORIES_NEEDING_REASON.includes(values.category) && !values.exemption_reason?.trim()) {
    throw new FieldRefusedError('exemption_reason', 'invoicing.errors.exemption_reason_required', 'This category needs an exemption reason')
  }
  if (ZERO_RATE_CATEGORIES.includes(values.category) && values.rate !== 0) {
    throw new FieldRefusedError('rate', 'invoicing.errors.rate_must_be_zero', 'This category carries a 0% rate')
  }
  if (values.category === 'S' && values.rate <= 0) {
    throw new FieldRefusedError('rate', 'invoicing.errors.rate_must_be_positive', 'A standard rate is above 0%')
  }
}

async function checkName(name: string, rate?: TaxRate) {
  const clash = TaxRate.query().whereRaw('lower(name) = ?', [name.toLowerCase()])
  if (rate) clash.whereNot('id', rate.id)
  if (await clash.first()) throw new FieldRefusedError('name', 'invoicing.errors.tax_rate_name_taken', 'A tax rate has this name')
}

/* One default rate per tenant: the default is what new lines and products start with */
async function keepOneDefault(rate: TaxRate) {
  if (!rate.isDefault) return
  await TaxRate.query().whereNot('id', rate.id).where('is_default', true).update({ is_default: false })
}

export async function createTaxRate(input: TaxRateInput) {
  checkTaxRate(input)
  await checkName(input.name)
  const rate = new TaxRate()
  rate.name = input.name
  rate.rate = input.rate
  rate.category = input.category
  rate.exemptionReason = input.exemption_reason?.trim() || null
  rate.isDefault = input.is_default ?? false
  await rate.save()
  await keepOneDefault(rate)
  await audit({ action: 'invoicing.tax_rate.created', subjectType: 'invoicing_tax_rate', subjectId: rate.id, after: taxRateView(rate) })
  return rate
}

export async function updateTaxRate(rate: TaxRate, input: Partial<TaxRateInput>) {
  const merged: TaxRateInput = {
    name: input.name ?? rate.name,
    rate: input.rate ?? rate.rate,
    category: input.category ?? rate.category,
    exemption_reason: input.exemption_reason !== undefined ? input.exemption_reason : rate.exemptionReason,
    is_default: input.is_default ?? rate.isDefault,
  }
  checkTaxRate(merged)
  if (input.name !== undefined) await checkName(merged.name, rate)
  const before = taxRateView(rate)
  rate.name = merged.name
  rate.rate = merged.rate
  rate.category = merged.category
  rate.exemptionReason = merged.exemption_reason?.trim() || null
  rate.isDefault = merged.is_default ?? false
  await rate.save()
  await keepOneDefault(rate)
  const changes = diff(before, taxRateView(rate))
  if (Object.keys(changes.after).length) {
    await audit({ action: 'invoicing.tax_rate.updated', subjectType: 'invoicing_tax_rate', subjectId: rate.id, ...changes })
  }
  return rate
}

export async function setTaxRateArchived(rate: TaxRate, archived: boolean) {
  if (Boolean(rate.archivedAt) === archived) return rate
  rate.archivedAt = archived ? DateTime.utc() : null
  if (archived) rate.isDefault = false
  await rate.save()
  await audit({
    action: archived ? 'invoicing.tax_rate.archived' : 'invoicing.tax_rate.restored',
    subjectType: 'invoicing_tax_rate',
    subjectId: rate.id,
  })
  return rate
}

export function serializeTaxRate(rate: TaxRate) {
  return {
    id: rate.id,
    ...taxRateView(rate),
    percent: rate.percent,
    created_at: rate.createdAt.toUTC().toISO(),
    updated_at: rate.updatedAt.toUTC().toISO(),
  }
}

/* Names per tenant locale; German VAT rates, since the product's first market is Germany */
const DEFAULT_RATES: Array<{ key: string; rate: number; category: TaxCategory; isDefault?: boolean; reason?: boolean }> = [
  { key: 'standard', rate: 19000, category: 'S', isDefault: true },
  { key: 'reduced', rate: 7000, category: 'S' },
  { key: 'zero', rate: 0, category: 'Z' },
  { key: 'exempt', rate: 0, category: 'E', reason: true },
  { key: 'reverse_charge', rate: 0, category: 'AE', reason: true },
  { key: 'intra_community', rate: 0, category: 'K', reason: true },
  { key: 'export', rate: 0, category: 'G', reason: true },
  { key: 'outside_scope', rate: 0, category: 'O', reason: true },
]

const DEFAULT_TEXTS: Record<string, Record<string, [string, string?]>> = {
  en: {
    standard: ['Standard rate 19%'],
    reduced: ['Reduced rate 7%'],
    zero: ['Zero rate 0%'],
    exempt: ['Exempt', 'VAT exempt'],
    reverse_charge: ['Reverse charge', 'Reverse charge: VAT to be accounted for by the recipient'],
    intra_community: ['Intra-community supply', 'VAT exempt intra-community supply'],
    export: ['Export outside the EU', 'VAT exempt export of goods outside the EU'],
    outside_scope: ['Outside the scope of VAT', 'Not subject to VAT'],
  },
  de: {
    standard: ['Regelsteuersatz 19 %'],
    reduced: ['Ermäßigter Steuersatz 7 %'],
    zero: ['Nullsatz 0 %'],
    exempt: ['Steuerbefreit', 'Steuerfreie Leistung'],
    reverse_charge: ['Reverse Charge', 'Steuerschuldnerschaft des Leistungsempfängers'],
    intra_community: ['Innergemeinschaftliche Lieferung', 'Steuerfreie innergemeinschaftliche Lieferung'],
    export: ['Ausfuhr in Drittländer', 'Steuerfreie Ausfuhrlieferung'],
    outside_scope: ['Nicht steuerbar', 'Nicht im Inland steuerbare Leistung'],
  },
}

/** Seeds the default tax rates once: a tenant that already has rates keeps exactly what it has */
export async function seedDefaultTaxRates(tenant: Tenant) {
  if (await TaxRate.forTenant(tenant.id).first()) return 0
  const texts = DEFAULT_TEXTS[tenant.locale?.slice(0, 2)] ?? DEFAULT_TEXTS.en
  for (const def of DEFAULT_RATES) {
    const [name, reason] = texts[def.key]
    await TaxRate.create({
      tenantId: tenant.id,
      name,
      rate: def.rate,
      category: def.category,
      exemptionReason: def.reason ? (reason ?? null) : null,
      isDefault: def.isDefault ?? false,
    })
  }
  return DEFAULT_RATES.length
}
