/*
| The document editor's form: raw strings in (decimal quantities, amounts in the document's
| currency, percentages), the documents service's DraftInput out, with a field error per bad
| input keyed like the form names ("lines.2.quantity"). Also the editor's options (clients,
| products, tax rates) and the form state a page renders from a stored draft.
*/
import type { HttpContext } from '@adonisjs/core/http'
import Product from '#plugins/invoicing/models/product'
import TaxRate from '#plugins/invoicing/models/tax_rate'
import type Document from '#plugins/invoicing/models/document'
import type DocumentLine from '#plugins/invoicing/models/document_line'
import type { DocumentType } from '#plugins/invoicing/models/document'
import type { DraftInput, LineInput } from '#plugins/invoicing/services/documents'
import { computeTotals, type Totals } from '#plugins/invoicing/services/totals'
import {
  MoneyError,
  exponent,
  formatRate,
  isCurrency,
  parseAmount,
  parseQuantity,
  parseRate,
  toDecimal,
} from '#plugins/invoicing/services/money'
import { quantityInput } from '#plugins/invoicing/services/document_view'

export interface LineState {
  product_id: string
  applied_product: string
  description: string
  quantity: string
  unit: string
  unit_price: string
  discount_type: string
  discount_value: string
  tax_rate_id: string
}

export interface FormState {
  client_id: string
  currency: string
  language: string
  issue_date: string
  due_date: string
  valid_until: string
  delivery_date: string
  buyer_reference: string
  order_reference: string
  prices_include_tax: boolean
  discount_type: string
  discount_value: string
  notes: string
  terms: string
  footer: string
  lines: LineState[]
}

const DATE = /^\d{4}-\d{2}-\d{2}$/
const str = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '')

export function blankLine(defaultTaxRateId: number | null = null): LineState {
  return {
    product_id: '',
    applied_product: '',
    description: '',
    quantity: '1',
    unit: 'C62',
    unit_price: '',
    discount_type: '',
    discount_value: '',
    tax_rate_id: defaultTaxRateId ? String(defaultTaxRateId) : '',
  }
}

/** What the form posted, as strings, lines in order (empty trailing lines dropped) */
export function readState(ctx: HttpContext): FormState {
  const body = ctx.request.all()
  const rawLines: any[] = Array.isArray(body.lines) ? body.lines : Object.values(body.lines ?? {})
  const lines = rawLines
    .filter((l) => l && typeof l === 'object')
    .map((l) => ({
      product_id: str(l.product_id),
      applied_product: str(l.applied_product),
      description: str(l.description),
      quantity: str(l.quantity),
      unit: str(l.unit) || 'C62',
      unit_price: str(l.unit_price),
      discount_type: str(l.discount_type),
      discount_value: str(l.discount_value),
      tax_rate_id: str(l.tax_rate_id),
    }))
  return {
    client_id: str(body.client_id),
    currency: str(body.currency).trim().toUpperCase(),
    language: str(body.language) || 'en',
    issue_date: str(body.issue_date),
    due_date: str(body.due_date),
    valid_until: str(body.valid_until),
    delivery_date: str(body.delivery_date),
    buyer_reference: str(body.buyer_reference),
    order_reference: str(body.order_reference),
    prices_include_tax: ['on', 'true', '1'].includes(str(body.prices_include_tax)),
    discount_type: str(body.discount_type),
    discount_value: str(body.discount_value),
    notes: str(body.notes),
    terms: str(body.terms),
    footer: str(body.footer),
    lines,
  }
}

/** The editor state of a stored draft */
export function stateOf(doc: Document, lines: DocumentLine[]): FormState {
  return {
    client_id: String(doc.clientId),
    currency: doc.currency,
    language: doc.language,
    issue_date: doc.issueDate ?? '',
    due_date: doc.dueDate ?? '',
    valid_until: doc.validUntil ?? '',
    delivery_date: doc.deliveryDate ?? '',
    buyer_reference: doc.buyerReference ?? '',
    order_reference: doc.orderReference ?? '',
    prices_include_tax: doc.pricesIncludeTax,
    discount_type: doc.discountType ?? '',
    discount_value: doc.discountType === 'percent' ? formatRate(doc.discountValue) : doc.discountType ? toDecimal(doc.discountValue, doc.currency) : '',
    notes: doc.notes ?? '',
    terms: doc.terms ?? '',
    footer: doc.footer ?? '',
    lines: lines.map((l) => ({
      product_id: l.productId ? String(l.productId) : '',
      applied_product: l.productId ? String(l.productId) : '',
      description: l.description,
      quantity: quantityInput(l.quantity),
      unit: l.unit,
      unit_price: toDecimal(l.unitPrice, doc.currency),
      discount_type: l.discountType ?? '',
      discount_value:
        l.discountType === 'percent' ? formatRate(l.discountValue) : l.discountType ? toDecimal(l.discountValue, doc.currency) : '',
      tax_rate_id: l.taxRateId ? String(l.taxRateId) : '',
    })),
  }
}

export interface EditorOptions {
  products: Product[]
  taxRates: TaxRate[]
  defaultTaxRateId: number | null
}

export async function editorOptions(): Promise<EditorOptions> {
  const [products, taxRates] = await Promise.all([
    Product.query().whereNull('archived_at').orderBy('name').limit(500),
    TaxRate.query().whereNull('archived_at').orderBy('is_default', 'desc').orderBy('name'),
  ])
  return { products, taxRates, defaultTaxRateId: taxRates.find((r) => r.isDefault)?.id ?? taxRates[0]?.id ?? null }
}

/**
 * A product picked on a line (with JS on change, without JS on the next submit) fills the
 * line's description, unit, price and tax rate; lines whose product did not change keep what
 * the user typed.
 */
export function applyProducts(state: FormState, options: EditorOptions) {
  for (const line of state.lines) {
    if (!line.product_id || line.product_id === line.applied_product) continue
    const product = options.products.find((p) => String(p.id) === line.product_id)
    if (!product) continue
    line.description = product.description ? `${product.name}\n${product.description}` : product.name
    line.unit = product.unit || 'C62'
    line.unit_price = isCurrency(state.currency) ? toDecimal(product.unitPrice, product.currency) : line.unit_price
    if (product.taxRateId) line.tax_rate_id = String(product.taxRateId)
    line.applied_product = line.product_id
  }
}

const isBlankLine = (l: LineState) => !l.description.trim() && !l.unit_price.trim() && !l.product_id

export interface Parsed {
  input: DraftInput | null
  errors: Record<string, string>
}

/**
 * Turns the form into a DraftInput, or field errors. `t` translates the error keys; the
 * currency decides how many decimals amounts may have.
 */
export function parseState(
  type: DocumentType,
  state: FormState,
  options: EditorOptions,
  t: (key: string, data?: Record<string, unknown>) => string
): Parsed {
  const errors: Record<string, string> = {}
  const clientId = Number(state.client_id)
  if (!Number.isSafeInteger(clientId) || clientId <= 0) errors.client_id = t('invoicing_ui.editor.errors.client')
  const currency = state.currency
  const currencyOk = isCurrency(currency)
  if (!currencyOk) errors.currency = t('invoicing_ui.editor.errors.currency')
  for (const field of ['issue_date', 'due_date', 'valid_until', 'delivery_date'] as const) {
    if (state[field] && !DATE.test(state[field])) errors[field] = t('invoicing_ui.editor.errors.date')
  }
  for (const field of ['buyer_reference', 'order_reference'] as const) {
    if (state[field].length > 200) errors[field] = t('invoicing_ui.editor.errors.too_long')
  }
  for (const field of ['notes', 'terms', 'footer'] as const) {
    if (state[field].length > 5000) errors[field] = t('invoicing_ui.editor.errors.too_long')
  }
  const decimals = currencyOk ? exponent(currency) : 2
  const amount = (text: string, key: string): number => {
    try {
      return parseAmount(text || '0', currencyOk ? currency : 'EUR')
    } catch (error) {
      if (!(error instanceof MoneyError)) throw error
      errors[key] = t('invoicing_ui.editor.errors.amount', { decimals })
      return 0
    }
  }
  const percent = (text: string, key: string): number => {
    try {
      return parseRate(text || '0')
    } catch (error) {
      if (!(error instanceof MoneyError)) throw error
      errors[key] = t('invoicing_ui.editor.errors.percent')
      return 0
    }
  }
  const discount = (kind: string, value: string, key: string) => {
    if (kind !== 'percent' && kind !== 'amount') return { discountType: null, discountValue: 0 }
    const v = kind === 'percent' ? percent(value, key) : amount(value, key)
    if (v < 0 && !errors[key]) errors[key] = t('invoicing_ui.editor.errors.amount_any')
    return { discountType: kind as 'percent' | 'amount', discountValue: v }
  }
  const taxIds = new Set(options.taxRates.map((r) => String(r.id)))
  const lines: LineInput[] = []
  state.lines.forEach((line, index) => {
    if (isBlankLine(line)) return
    const key = (f: string) => `lines.${index}.${f}`
    if (!line.description.trim()) errors[key('description')] = t('invoicing_ui.editor.errors.description')
    else if (line.description.length > 2000) errors[key('description')] = t('invoicing_ui.editor.errors.too_long')
    let quantity = 0
    try {
      quantity = parseQuantity(line.quantity || '0')
    } catch (error) {
      if (!(error instanceof MoneyError)) throw error
      errors[key('quantity')] = t('invoicing_ui.editor.errors.quantity')
    }
    const unitPrice = amount(line.unit_price, key('unit_price'))
    const lineDiscount = discount(line.discount_type, line.discount_value, key('discount_value'))
    if (line.tax_rate_id && !taxIds.has(line.tax_rate_id)) errors[key('tax_rate_id')] = t('invoicing_ui.editor.errors.tax_rate')
    const productId = Number(line.product_id)
    lines.push({
      productId: Number.isSafeInteger(productId) && productId > 0 && options.products.some((p) => p.id === productId) ? productId : null,
      description: line.description.trim(),
      quantity,
      unit: /^[A-Z0-9]{2,3}$/.test(line.unit) ? line.unit : 'C62',
      unitPrice,
      ...lineDiscount,
      taxRateId: line.tax_rate_id ? Number(line.tax_rate_id) : null,
      taxRate: line.tax_rate_id ? null : 0,
      taxCategory: line.tax_rate_id ? null : 'Z',
    })
  })
  const docDiscount = discount(state.discount_type, state.discount_value, 'discount_value')
  if (Object.keys(errors).length) return { input: null, errors }
  const nullable = (s: string) => (s.trim() === '' ? null : s.trim())
  return {
    errors,
    input: {
      clientId,
      currency,
      language: state.language === 'de' ? 'de' : 'en',
      pricesIncludeTax: state.prices_include_tax,
      issueDate: nullable(state.issue_date),
      dueDate: type === 'invoice' ? nullable(state.due_date) : null,
      validUntil: type === 'quote' ? nullable(state.valid_until) : null,
      deliveryDate: nullable(state.delivery_date),
      buyerReference: nullable(state.buyer_reference),
      orderReference: nullable(state.order_reference),
      notes: nullable(state.notes),
      terms: nullable(state.terms),
      footer: nullable(state.footer),
      ...docDiscount,
      lines,
    },
  }
}

/**
 * Totals of what the form holds right now, for the live preview: lines that do not parse count
 * as zero, so the figures follow the typing without waiting for a valid form.
 */
export function previewTotals(state: FormState, options: EditorOptions): { totals: Totals; currency: string; lineIndexes: number[] } {
  const currency = isCurrency(state.currency) ? state.currency : 'EUR'
  const safe = <T>(fn: () => T, fallback: T) => {
    try {
      return fn()
    } catch {
      return fallback
    }
  }
  const rates = new Map(options.taxRates.map((r) => [String(r.id), r]))
  const lineIndexes: number[] = []
  const lines = state.lines.flatMap((line, index) => {
    if (isBlankLine(line)) return []
    lineIndexes.push(index)
    const rate = rates.get(line.tax_rate_id)
    const kind: 'percent' | 'amount' | null = line.discount_type === 'percent' || line.discount_type === 'amount' ? line.discount_type : null
    return [
      {
        quantity: safe(() => parseQuantity(line.quantity || '0'), 0),
        unitPrice: safe(() => parseAmount(line.unit_price || '0', currency), 0),
        discountType: kind,
        discountValue: kind === 'percent' ? safe(() => parseRate(line.discount_value || '0'), 0) : kind ? safe(() => parseAmount(line.discount_value || '0', currency), 0) : 0,
        taxRate: rate?.rate ?? 0,
        taxCategory: rate?.category ?? 'Z',
        taxExemptionReason: rate?.exemptionReason ?? null,
      },
    ]
  })
  const kind: 'percent' | 'amount' | null = state.discount_type === 'percent' || state.discount_type === 'amount' ? state.discount_type : null
  const totals = computeTotals({
    pricesIncludeTax: state.prices_include_tax,
    lines,
    discountType: kind,
    discountValue: kind === 'percent' ? safe(() => parseRate(state.discount_value || '0'), 0) : kind ? safe(() => parseAmount(state.discount_value || '0', currency), 0) : 0,
  })
  return { totals, currency, lineIndexes }
}
