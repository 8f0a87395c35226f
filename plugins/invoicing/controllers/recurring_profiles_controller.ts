import type { HttpContext } from '@adonisjs/core/http'
import { formValues, refuseForm, validateForm } from '#controllers/settings/form_support'
import { profileFormValidator } from '../validators/recurring.js'
import {
  createProfile,
  deleteProfile,
  findProfile,
  profilesListing,
  profilesQuery,
  RECURRING_INTERVALS,
  runProfile,
  runsOf,
  setPaused,
  updateProfile,
  upcomingDates,
  type ProfileInput,
} from '../services/recurring.js'
import { activeTaxRates } from '../services/catalogue.js'
import { clientsQuery } from '../services/clients.js'
import Client from '../models/client.js'
import Document from '../models/document.js'
import type RecurringProfile from '../models/recurring_profile.js'
import type { TemplateLine } from '../models/recurring_profile.js'
import { formatAmount, formatQuantity, parseAmount, parseQuantity, toDecimal } from '../services/money.js'
import { COMMON_UNITS } from '../models/product.js'
import { listParams, nextPageUrl, refuseField } from './parties_support.js'

const BASE = '/app/invoicing/recurring'
const LINE_ROWS = 5

const LABELS: Record<string, string> = {
  client_id: 'invoicing.recurring.client',
  name: 'invoicing.recurring.name',
  interval: 'invoicing.recurring.interval',
  interval_days: 'invoicing.recurring.interval_days',
  start_on: 'invoicing.recurring.start_on',
  end_on: 'invoicing.recurring.end_on',
  payment_terms_days: 'invoicing.clients.payment_terms_days',
  notes: 'invoicing.recurring.notes',
  terms: 'invoicing.recurring.terms',
}

type FormLine = { description?: string | null; quantity?: string | null; unit?: string | null; unit_price?: string | null; tax_rate_id?: number | null }
type FormBody = Omit<ProfileInput, 'lines'> & { lines?: FormLine[] }

function formData(ctx: HttpContext) {
  const body = ctx.request.all()
  const on = (v: unknown) => ['on', 'true', '1'].includes(String(v))
  return { ...body, auto_finalize: on(body.auto_finalize), auto_send: on(body.auto_send) }
}

/** Decimal quantities and prices of the filled rows; each bad cell is a field error */
function parseLines(rows: FormLine[], currency: string) {
  const lines: TemplateLine[] = []
  const errors: Record<string, string> = {}
  rows.forEach((row, i) => {
    if (!row.description && !row.unit_price && !row.quantity) return
    if (!row.description) errors[`lines.${i}.description`] = 'invoicing.recurring.errors.line_description'
    let quantity = 0
    let unitPrice = 0
    try {
      quantity = parseQuantity(row.quantity || '1')
      if (quantity <= 0) throw new Error('zero')
    } catch {
      errors[`lines.${i}.quantity`] = 'invoicing.recurring.errors.line_quantity'
    }
    try {
      unitPrice = parseAmount(row.unit_price || '', currency)
    } catch {
      errors[`lines.${i}.unit_price`] = 'invoicing.recurring.errors.line_price'
    }
    lines.push({ productId: null, description: row.description ?? '', quantity, unit: row.unit || 'C62', unitPrice, taxRateId: row.tax_rate_id ?? null })
  })
  if (!lines.length && !Object.keys(errors).length) errors['lines.0.description'] = 'invoicing.recurring.errors.no_lines'
  return { lines, errors }
}

function rowsOf(profile: RecurringProfile | null) {
  const rows = (profile?.lines ?? []).map((l) => ({
    description: l.description,
    quantity: formatQuantity(l.quantity),
    unit: l.unit ?? 'C62',
    unit_price: toDecimal(l.unitPrice, profile!.currency),
    tax_rate_id: l.taxRateId ? String(l.taxRateId) : '',
  }))
  while (rows.length < LINE_ROWS) rows.push({ description: '', quantity: '', unit: 'C62', unit_price: '', tax_rate_id: '' })
  return rows
}

/** Recurring invoices: profiles with their schedule, lines and the invoices they created */
export default class RecurringProfilesController {
  async index(ctx: HttpContext) {
    const params = listParams(ctx, { status: ['active', 'paused', 'ended'] }, 'name')
    const page = await profilesListing.paginate(profilesQuery(params as any).preload('client'), params as any)
    return ctx.view.render('invoicing::pages/recurring/index', {
      profiles: page.rows,
      filters: { status: params.status ?? '' },
      next: nextPageUrl(BASE, params, page.nextCursor),
    })
  }

  private async form(ctx: HttpContext, profile: RecurringProfile | null) {
    const clients = await clientsQuery({ status: 'active' }).orderBy('name').orderBy('id').limit(500)
    const rates = await activeTaxRates()
    const flashedLines = ctx.session.flashMessages.get('lines') as FormLine[] | undefined
    const rows = flashedLines ? rowsOf(null).map((r, i) => ({ ...r, ...(flashedLines[i] ?? {}) })) : rowsOf(profile)
    return ctx.view.render('invoicing::pages/recurring/form', {
      profile,
      rows,
      clients: [{ value: '', label: ctx.i18n.t('invoicing.clients.merge_choose') }, ...clients.map((c) => ({ value: String(c.id), label: `${c.name} (${c.currency})` }))],
      intervals: RECURRING_INTERVALS.map((i) => ({ value: i, label: ctx.i18n.t(`invoicing.recurring.interval_${i}`) })),
      units: COMMON_UNITS.map((u) => ({ value: u, label: ctx.i18n.t(`invoicing.units.${u}`) })),
      rates: [{ value: '', label: ctx.i18n.t('invoicing.products.no_tax_rate') }, ...rates.map((r) => ({ value: String(r.id), label: r.name }))],
      defaultRate: rates.find((r) => r.isDefault)?.id,
      values: formValues(ctx, {
        client_id: profile ? String(profile.clientId) : String(ctx.request.qs().client_id ?? ''),
        name: profile?.name ?? '',
        interval: profile?.interval ?? 'monthly',
        interval_days: profile?.intervalDays ?? '',
        start_on: profile?.startOn ?? new Date().toISOString().slice(0, 10),
        end_on: profile?.endOn ?? '',
        auto_finalize: profile?.autoFinalize ?? false,
        auto_send: profile?.autoSend ?? false,
        payment_terms_days: profile?.paymentTermsDays ?? '',
        notes: profile?.notes ?? '',
        terms: profile?.terms ?? '',
      }),
    })
  }

  async create(ctx: HttpContext) {
    return this.form(ctx, null)
  }

  async edit(ctx: HttpContext) {
    return this.form(ctx, await findProfile(ctx.params.id))
  }

  private async input(ctx: HttpContext, back: string, profile: RecurringProfile | null): Promise<ProfileInput | null> {
    const body = await validateForm<FormBody>(ctx, profileFormValidator, { back, labels: LABELS, data: formData(ctx) })
    if (!body) return null
    const client = await Client.find(body.client_id)
    const currency = body.currency || client?.currency || profile?.currency || 'EUR'
    const { lines, errors } = parseLines(body.lines ?? [], currency)
    if (Object.keys(errors).length) {
      refuseForm(ctx, Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, ctx.i18n.t(v)])), back)
      return null
    }
    const { lines: _rows, ...rest } = body
    return { ...rest, currency: body.currency || (profile && profile.clientId === body.client_id ? profile.currency : client?.currency) || currency, lines }
  }

  async store(ctx: HttpContext) {
    const back = `${BASE}/new`
    const input = await this.input(ctx, back, null)
    if (!input) return
    let profile
    try {
      profile = await createProfile(input)
    } catch (error) {
      return refuseField(ctx, error, back)
    }
    ctx.session.flash('success', ctx.i18n.t('invoicing.recurring.created'))
    return ctx.response.redirect(`${BASE}/${profile.id}`)
  }

  async update(ctx: HttpContext) {
    const profile = await findProfile(ctx.params.id)
    const back = `${BASE}/${profile.id}/edit`
    const input = await this.input(ctx, back, profile)
    if (!input) return
    try {
      await updateProfile(profile, { end_on: null, payment_terms_days: null, notes: null, terms: null, ...input })
    } catch (error) {
      return refuseField(ctx, error, back)
    }
    ctx.session.flash('success', ctx.i18n.t('forms.saved'))
    return ctx.response.redirect(`${BASE}/${profile.id}`)
  }

  async show(ctx: HttpContext) {
    const profile = await findProfile(ctx.params.id)
    await profile.load('client')
    const rates = new Map((await activeTaxRates()).map((r) => [r.id, r.name]))
    const runs = await runsOf(profile)
    const ids = runs.map((r) => r.documentId).filter((id): id is number => id !== null)
    const documents = ids.length ? await Document.query().whereIn('id', ids).select('id', 'number', 'status') : []
    return ctx.view.render('invoicing::pages/recurring/show', {
      profile,
      runs,
      numbers: Object.fromEntries(documents.map((d) => [d.id, d.number])),
      upcoming: upcomingDates(profile),
      rates: Object.fromEntries(rates),
      money: (minor: number) => formatAmount(minor, profile.currency, ctx.i18n.locale),
      quantity: formatQuantity,
    })
  }

  async pause(ctx: HttpContext) {
    await setPaused(await findProfile(ctx.params.id), true)
    ctx.session.flash('success', ctx.i18n.t('invoicing.recurring.paused_flash'))
    return ctx.response.redirect(`${BASE}/${ctx.params.id}`)
  }

  async resume(ctx: HttpContext) {
    await setPaused(await findProfile(ctx.params.id), false)
    ctx.session.flash('success', ctx.i18n.t('invoicing.recurring.resumed_flash'))
    return ctx.response.redirect(`${BASE}/${ctx.params.id}`)
  }

  async run(ctx: HttpContext) {
    const created = await runProfile(await findProfile(ctx.params.id))
    ctx.session.flash('success', ctx.i18n.t('invoicing.recurring.run_flash', { count: created.length }))
    return ctx.response.redirect(`${BASE}/${ctx.params.id}`)
  }

  async destroy(ctx: HttpContext) {
    const outcome = await deleteProfile(await findProfile(ctx.params.id))
    ctx.session.flash('success', ctx.i18n.t(`invoicing.recurring.${outcome}_flash`))
    return ctx.response.redirect(outcome === 'ended' ? `${BASE}/${ctx.params.id}` : BASE)
  }
}
