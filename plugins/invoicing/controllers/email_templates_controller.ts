import type { HttpContext } from '@adonisjs/core/http'
import vine from '@vinejs/vine'
import { formValues, refuseForm, validateForm, wantsFragment } from '#controllers/settings/form_support'
import { TemplateError } from '../services/templates/liquid_sandbox.js'
import { EMAIL_LOCALES, EMAIL_TEMPLATE_KEYS, PLACEHOLDERS, sampleEmailContext } from '../services/templates/email_defaults.js'
import {
  EmailTemplateError,
  emailTemplateSource,
  renderEmailSource,
  requireTemplateRef,
  resetEmailTemplate,
  saveEmailTemplate,
} from '../services/templates/email_templates.js'

const BASE = '/app/invoicing/email-templates'

const templateValidator = vine.create(
  vine.object({
    subject: vine.string().trim().minLength(1).maxLength(500),
    body: vine.string().trim().minLength(1).maxLength(20_000),
  })
)
const LABELS = { subject: 'invoicing_pdf.email.subject', body: 'invoicing_pdf.email.body' }

/** Email templates per tenant: subject and body in Liquid for each message and language */
export default class EmailTemplatesController {
  async index(ctx: HttpContext) {
    const tenantId = ctx.tenant!.id
    const rows = []
    for (const key of EMAIL_TEMPLATE_KEYS) {
      for (const locale of EMAIL_LOCALES) {
        const source = await emailTemplateSource(tenantId, key, locale)
        rows.push({ key, locale, subject: source.subject, custom: source.custom })
      }
    }
    return ctx.view.render('invoicing::pages/email_templates/index', { rows })
  }

  async edit(ctx: HttpContext) {
    const { key, locale } = requireTemplateRef(ctx.params.key, ctx.params.locale)
    const source = await emailTemplateSource(ctx.tenant!.id, key, locale)
    const values = formValues(ctx, { subject: source.subject, body: source.body })
    let preview = null
    try {
      preview = await renderEmailSource(values, sampleEmailContext(ctx.tenant!.name, locale))
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error
    }
    return ctx.view.render('invoicing::pages/email_templates/edit', {
      key,
      locale,
      custom: source.custom,
      values,
      preview,
      placeholders: PLACEHOLDERS.map((name) => `{{ ${name} }}`),
    })
  }

  async update(ctx: HttpContext) {
    const { key, locale } = requireTemplateRef(ctx.params.key, ctx.params.locale)
    const back = `${BASE}/${key}/${locale}`
    const input = await validateForm<{ subject: string; body: string }>(ctx, templateValidator, { back, labels: LABELS })
    if (!input) return
    try {
      await saveEmailTemplate(key, locale, input)
    } catch (error) {
      if (!(error instanceof EmailTemplateError)) throw error
      return refuseForm(ctx, { [error.field]: ctx.i18n.t('invoicing_pdf.designs.template_error', { error: error.message }) }, back)
    }
    ctx.session.flash('success', ctx.i18n.t('invoicing_pdf.email.saved'))
    return ctx.response.redirect(back)
  }

  async reset(ctx: HttpContext) {
    const { key, locale } = requireTemplateRef(ctx.params.key, ctx.params.locale)
    await resetEmailTemplate(key, locale)
    ctx.session.flash('success', ctx.i18n.t('invoicing_pdf.email.reset_done'))
    return ctx.response.redirect(`${BASE}/${key}/${locale}`)
  }

  /** Live preview with sample data; HTMX swaps the fragment, a plain post shows the editor with it */
  async preview(ctx: HttpContext) {
    const { key, locale } = requireTemplateRef(ctx.params.key, ctx.params.locale)
    const source = { subject: String(ctx.request.input('subject', '')), body: String(ctx.request.input('body', '')) }
    let preview = null
    let error: string | null = null
    try {
      preview = await renderEmailSource(source, sampleEmailContext(ctx.tenant!.name, locale))
    } catch (failure) {
      if (!(failure instanceof TemplateError)) throw failure
      error = ctx.i18n.t('invoicing_pdf.designs.template_error', { error: failure.message })
    }
    if (wantsFragment(ctx)) return ctx.view.render('invoicing::partials/email_templates/preview', { preview, error })
    return ctx.view.render('invoicing::pages/email_templates/edit', {
      key,
      locale,
      custom: false,
      values: source,
      preview,
      previewError: error,
      placeholders: PLACEHOLDERS.map((name) => `{{ ${name} }}`),
    })
  }
}
