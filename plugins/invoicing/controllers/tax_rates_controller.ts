import type { HttpContext } from '@adonisjs/core/http'
import { formValues, refuseForm, validateForm } from '#controllers/settings/form_support'
import { rateOrError, taxRateFormValidator } from '../validators/parties.js'
import { createTaxRate, findTaxRate, setTaxRateArchived, taxRatesQuery, updateTaxRate } from '../services/catalogue.js'
import { TAX_CATEGORIES, type TaxCategory } from '../models/tax_rate.js'
import { formatRate } from '../services/money.js'
import { refuseField } from './parties_support.js'

const BASE = '/app/invoicing/tax-rates'

const LABELS: Record<string, string> = {
  name: 'invoicing.tax_rates.name',
  rate: 'invoicing.tax_rates.rate',
  category: 'invoicing.tax_rates.category',
  exemption_reason: 'invoicing.tax_rates.exemption_reason',
}

type TaxRateForm = { name: string; rate: string; category: TaxCategory; exemption_reason?: string | null; is_default?: boolean }

function formData(ctx: HttpContext) {
  return { ...ctx.request.all(), is_default: ['on', 'true', '1'].includes(String(ctx.request.input('is_default'))) }
}

async function parsed(ctx: HttpContext, back: string) {
  const input = await validateForm<TaxRateForm>(ctx, taxRateFormValidator, { back, labels: LABELS, data: formData(ctx) })
  if (!input) return null
  const rate = rateOrError(input.rate)
  if ('error' in rate) {
    refuseForm(ctx, { rate: ctx.i18n.t(rate.error) }, back)
    return null
  }
  return { ...input, rate: rate.value }
}

function categoryOptions(ctx: HttpContext) {
  return TAX_CATEGORIES.map((c) => ({ value: c, label: `${c} · ${ctx.i18n.t(`invoicing.tax_categories.${c}`)}` }))
}

/** Tax rates with their EN 16931 category; a tenant's list is short, so it is one page */
export default class TaxRatesController {
  async index(ctx: HttpContext) {
    const showArchived = ctx.request.qs().status === 'all'
    const rates = await taxRatesQuery({ status: showArchived ? 'all' : 'active' }).orderBy('is_default', 'desc').orderBy('name').orderBy('id')
    return ctx.view.render('invoicing::pages/tax_rates/index', { rates, showArchived })
  }

  async create(ctx: HttpContext) {
    return ctx.view.render('invoicing::pages/tax_rates/form', {
      rate: null,
      categories: categoryOptions(ctx),
      values: formValues(ctx, { name: '', rate: '', category: 'S', exemption_reason: '', is_default: false }),
    })
  }

  async store(ctx: HttpContext) {
    const back = `${BASE}/new`
    const input = await parsed(ctx, back)
    if (!input) return
    try {
      await createTaxRate(input)
    } catch (error) {
      return refuseField(ctx, error, back)
    }
    ctx.session.flash('success', ctx.i18n.t('invoicing.tax_rates.created'))
    return ctx.response.redirect(BASE)
  }

  async edit(ctx: HttpContext) {
    const rate = await findTaxRate(ctx.params.id)
    return ctx.view.render('invoicing::pages/tax_rates/form', {
      rate,
      categories: categoryOptions(ctx),
      values: formValues(ctx, {
        name: rate.name,
        rate: formatRate(rate.rate),
        category: rate.category,
        exemption_reason: rate.exemptionReason ?? '',
        is_default: rate.isDefault,
      }),
    })
  }

  async update(ctx: HttpContext) {
    const rate = await findTaxRate(ctx.params.id)
    const back = `${BASE}/${rate.id}/edit`
    const input = await parsed(ctx, back)
    if (!input) return
    try {
      await updateTaxRate(rate, { exemption_reason: null, ...input })
    } catch (error) {
      return refuseField(ctx, error, back)
    }
    ctx.session.flash('success', ctx.i18n.t('forms.saved'))
    return ctx.response.redirect(BASE)
  }

  async archive(ctx: HttpContext) {
    await setTaxRateArchived(await findTaxRate(ctx.params.id), true)
    ctx.session.flash('success', ctx.i18n.t('invoicing.tax_rates.archived_flash'))
    return ctx.response.redirect(BASE)
  }

  async restore(ctx: HttpContext) {
    await setTaxRateArchived(await findTaxRate(ctx.params.id), false)
    ctx.session.flash('success', ctx.i18n.t('invoicing.tax_rates.restored_flash'))
    return ctx.response.redirect(BASE)
  }
}
