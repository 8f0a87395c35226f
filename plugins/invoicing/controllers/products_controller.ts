import type { HttpContext } from '@adonisjs/core/http'
import { formValues, refuseForm, validateForm, wantsFragment } from '#controllers/settings/form_support'
import plugins from '#kernel/plugin_service'
import { amountOrError, productFormValidator } from '../validators/parties.js'
import {
  activeTaxRates,
  createProduct,
  findProduct,
  productsListing,
  productsQuery,
  setProductArchived,
  updateProduct,
} from '../services/catalogue.js'
import { COMMON_UNITS } from '../models/product.js'
import { currencies, formatAmount, toDecimal } from '../services/money.js'
import { listParams, nextPageUrl, refuseField } from './parties_support.js'

const BASE = '/app/invoicing/products'

const LABELS: Record<string, string> = {
  name: 'invoicing.products.name',
  description: 'invoicing.products.description',
  sku: 'invoicing.products.sku',
  unit: 'invoicing.products.unit',
  unit_price: 'invoicing.products.unit_price',
  currency: 'invoicing.products.currency',
  tax_rate_id: 'invoicing.products.tax_rate',
}

type ProductForm = {
  name: string
  description?: string | null
  sku?: string | null
  unit: string
  unit_price: string
  currency: string
  tax_rate_id?: number | null
}

async function formOptions(ctx: HttpContext) {
  const rates = await activeTaxRates()
  return {
    units: COMMON_UNITS.map((u) => ({ value: u, label: ctx.i18n.t(`invoicing.units.${u}`) + ` (${u})` })),
    currencies: currencies().sort().map((c) => ({ value: c, label: c })),
    taxRates: [{ value: '', label: ctx.i18n.t('invoicing.products.no_tax_rate') }, ...rates.map((r) => ({ value: String(r.id), label: r.name }))],
    defaultTaxRate: rates.find((r) => r.isDefault)?.id ?? '',
  }
}

/** Parses the decimal price once the currency is known; a bad price is a field error */
async function priced(ctx: HttpContext, back: string) {
  const input = await validateForm<ProductForm>(ctx, productFormValidator, { back, labels: LABELS })
  if (!input) return null
  const price = amountOrError(input.unit_price, input.currency)
  if ('error' in price) {
    refuseForm(ctx, { unit_price: ctx.i18n.t(price.error, { currency: input.currency }) }, back)
    return null
  }
  return { ...input, unit_price: price.value }
}

/** Catalogue: products and services with unit, price and tax rate */
export default class ProductsController {
  async index(ctx: HttpContext) {
    const params = listParams(ctx, { q: 'text', status: ['active', 'archived', 'all'] }, 'name')
    const page = await productsListing.paginate(productsQuery(params as any).preload('taxRate'), params as any)
    const data = {
      products: page.rows,
      price: (minor: number, currency: string) => formatAmount(minor, currency, ctx.i18n.locale),
      filters: { q: params.q ?? '', status: params.status ?? 'active' },
      next: nextPageUrl(BASE, params, page.nextCursor),
    }
    ctx.response.header('Vary', 'HX-Request')
    if (wantsFragment(ctx)) return ctx.view.render('invoicing::partials/products/list', data)
    return ctx.view.render('invoicing::pages/products/index', data)
  }

  async create(ctx: HttpContext) {
    const options = await formOptions(ctx)
    const settings = await plugins.settingsFor(ctx.tenant!.id, 'invoicing')
    return ctx.view.render('invoicing::pages/products/form', {
      product: null,
      options,
      values: formValues(ctx, {
        name: '',
        description: '',
        sku: '',
        unit: 'C62',
        unit_price: '',
        currency: String(settings.defaultCurrency || ctx.tenant!.currency || 'EUR'),
        tax_rate_id: String(options.defaultTaxRate),
      }),
    })
  }

  async store(ctx: HttpContext) {
    const back = `${BASE}/new`
    const input = await priced(ctx, back)
    if (!input) return
    try {
      await createProduct(input)
    } catch (error) {
      return refuseField(ctx, error, back)
    }
    ctx.session.flash('success', ctx.i18n.t('invoicing.products.created'))
    return ctx.response.redirect(BASE)
  }

  async edit(ctx: HttpContext) {
    const product = await findProduct(ctx.params.id)
    const options = await formOptions(ctx)
    /* a unit set through the API may be any Rec 20 code: keep it selectable */
    if (!options.units.some((u) => u.value === product.unit)) options.units.push({ value: product.unit as any, label: product.unit })
    return ctx.view.render('invoicing::pages/products/form', {
      product,
      options,
      values: formValues(ctx, {
        name: product.name,
        description: product.description ?? '',
        sku: product.sku ?? '',
        unit: product.unit,
        unit_price: toDecimal(product.unitPrice, product.currency),
        currency: product.currency,
        tax_rate_id: product.taxRateId ? String(product.taxRateId) : '',
      }),
    })
  }

  async update(ctx: HttpContext) {
    const product = await findProduct(ctx.params.id)
    const back = `${BASE}/${product.id}/edit`
    const input = await priced(ctx, back)
    if (!input) return
    try {
      await updateProduct(product, { description: null, sku: null, tax_rate_id: null, ...input })
    } catch (error) {
      return refuseField(ctx, error, back)
    }
    ctx.session.flash('success', ctx.i18n.t('forms.saved'))
    return ctx.response.redirect(BASE)
  }

  async archive(ctx: HttpContext) {
    await setProductArchived(await findProduct(ctx.params.id), true)
    ctx.session.flash('success', ctx.i18n.t('invoicing.products.archived_flash'))
    return ctx.response.redirect(BASE)
  }

  async restore(ctx: HttpContext) {
    await setProductArchived(await findProduct(ctx.params.id), false)
    ctx.session.flash('success', ctx.i18n.t('invoicing.products.restored_flash'))
    return ctx.response.redirect(BASE)
  }
}
