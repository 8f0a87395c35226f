/* Settings → Numbering: list the tenant's series with their next number, create and edit them */
import type { HttpContext } from '@adonisjs/core/http'
import vine from '@vinejs/vine'
import { formValues, refuseForm, validateForm } from '#controllers/settings/form_support'
import { DOCUMENT_TYPES, type DocumentType } from '../models/document.js'
import type NumberingSeries from '../models/numbering_series.js'
import {
  RESETS,
  createSeries,
  findSeries,
  formatNumber,
  listSeries,
  patternErrors,
  periodOf,
  previewNext,
  today,
  updateSeries,
} from '../services/numbering.js'

const BASE = '/app/invoicing/settings/numbering'

const LABELS: Record<string, string> = {
  documentType: 'invoicing_core.numbering.document_type',
  name: 'invoicing_core.numbering.name',
  pattern: 'invoicing_core.numbering.pattern',
  reset: 'invoicing_core.numbering.reset',
  startNumber: 'invoicing_core.numbering.start_number',
  isDefault: 'invoicing_core.numbering.is_default',
}

const fields = {
  name: vine.string().trim().minLength(1).maxLength(100),
  pattern: vine.string().trim().minLength(1).maxLength(100),
  reset: vine.enum(RESETS),
  startNumber: vine.number().withoutDecimals().range([1, 999_999_999]),
  isDefault: vine.boolean().optional(),
}
const createValidator = vine.create(vine.object({ documentType: vine.enum(DOCUMENT_TYPES), ...fields }))
const updateValidator = vine.create(vine.object(fields))

function options(ctx: HttpContext) {
  return {
    types: DOCUMENT_TYPES.map((type) => ({ value: type, label: ctx.i18n.t(`invoicing_core.types.${type}`) })),
    resets: RESETS.map((reset) => ({ value: reset, label: ctx.i18n.t(`invoicing_core.numbering.resets.${reset}`) })),
  }
}

/* A sample of what the pattern prints for the counter's first number today (no database) */
function sample(pattern: string, reset: string, start: number) {
  if (patternErrors(pattern, reset as any).length) return null
  return formatNumber(pattern, today(), Number.isSafeInteger(start) && start > 0 ? start : 1)
}

function valuesOf(series: NumberingSeries | null, type?: DocumentType) {
  return {
    documentType: series?.documentType ?? type ?? 'invoice',
    name: series?.name ?? '',
    pattern: series?.pattern ?? 'INV-{YYYY}-{counter:5}',
    reset: series?.reset ?? 'yearly',
    startNumber: series?.startNumber ?? 1,
    isDefault: series?.isDefault ?? false,
  }
}

export default class NumberingSeriesController {
  async index(ctx: HttpContext) {
    const series = await listSeries()
    const rows = await Promise.all(
      series.map(async (s) => ({ series: s, next: await previewNext(s), period: periodOf(s.reset, today()) }))
    )
    return ctx.view.render('invoicing::pages/numbering/index', { rows, base: BASE })
  }

  async create(ctx: HttpContext) {
    const values = formValues(ctx, valuesOf(null))
    return ctx.view.render('invoicing::pages/numbering/form', {
      series: null,
      values,
      preview: sample(String(values.pattern ?? ''), String(values.reset), Number(values.startNumber)),
      next: null,
      options: options(ctx),
      action: BASE,
      base: BASE,
    })
  }

  async store(ctx: HttpContext) {
    const input = await validateForm<any>(ctx, createValidator, { back: `${BASE}/new`, labels: LABELS })
    if (!input) return
    const errors = patternErrors(input.pattern, input.reset)
    if (errors.length) return refuseForm(ctx, { pattern: ctx.i18n.t(errors[0]) }, `${BASE}/new`)
    await createSeries({ ...input, isDefault: !!input.isDefault })
    ctx.session.flash('success', ctx.i18n.t('invoicing_core.numbering.created'))
    return ctx.response.redirect(BASE)
  }

  async edit(ctx: HttpContext) {
    const series = await findSeries(ctx.params.id)
    const values = formValues(ctx, valuesOf(series))
    return ctx.view.render('invoicing::pages/numbering/form', {
      series,
      values,
      preview: sample(String(values.pattern ?? ''), String(values.reset), Number(values.startNumber)),
      next: await previewNext(series),
      options: options(ctx),
      action: `${BASE}/${series.id}`,
      base: BASE,
    })
  }

  async update(ctx: HttpContext) {
    const series = await findSeries(ctx.params.id)
    const back = `${BASE}/${series.id}/edit`
    const input = await validateForm<any>(ctx, updateValidator, { back, labels: LABELS })
    if (!input) return
    const errors = patternErrors(input.pattern, input.reset)
    if (errors.length) return refuseForm(ctx, { pattern: ctx.i18n.t(errors[0]) }, back)
    await updateSeries(series, { ...input, isDefault: !!input.isDefault })
    ctx.session.flash('success', ctx.i18n.t('invoicing_core.numbering.saved'))
    return ctx.response.redirect(BASE)
  }

  /** Live preview of a pattern while editing (HTMX swaps the fragment; plain GET shows the same) */
  async preview(ctx: HttpContext) {
    const pattern = String(ctx.request.input('pattern', '')).slice(0, 100)
    const reset = String(ctx.request.input('reset', 'never'))
    const start = Number(ctx.request.input('startNumber', 1))
    const errors = RESETS.includes(reset as any) ? patternErrors(pattern, reset as any) : ['invoicing_core.numbering.errors.unknown_token']
    return ctx.view.render('invoicing::pages/numbering/preview', {
      preview: errors.length ? null : sample(pattern, reset, start),
      error: errors.length ? ctx.i18n.t(errors[0]) : null,
    })
  }
}
