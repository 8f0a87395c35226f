import type { HttpContext } from '@adonisjs/core/http'
import vine from '@vinejs/vine'
import { formValues, refuseForm, validateForm, wantsFragment } from '#controllers/settings/form_support'
import { NotFoundError } from '#exceptions/domain_errors'
import { MAX_TEMPLATE_CHARS, TemplateError } from '../services/templates/liquid_sandbox.js'
import { builtinTemplate, isBuiltin, resolveDesign, BUILTIN_DESIGNS, type BuiltinDesign } from '../services/pdf/designs.js'
import {
  DesignTemplateError,
  activateDesignVersion,
  activeTemplate,
  createDesign,
  currentDefaultDesign,
  designChoices,
  designVersions,
  findDesign,
  saveDesignVersion,
  setDefaultDesign,
} from '../services/pdf/design_service.js'
import { PREVIEW_CSP, previewHtml, previewPdf, readDraft, storeDraft } from '../services/pdf/preview.js'

const BASE = '/app/invoicing/designs'

const designValidator = vine.create(
  vine.object({
    name: vine.string().trim().minLength(1).maxLength(120),
    template: vine.string().minLength(1).maxLength(MAX_TEMPLATE_CHARS),
  })
)
const templateValidator = vine.create(vine.object({ template: vine.string().maxLength(MAX_TEMPLATE_CHARS) }))
const defaultValidator = vine.create(vine.object({ design: vine.string().trim().maxLength(40) }))

const LABELS = { name: 'invoicing_pdf.designs.name', template: 'invoicing_pdf.designs.template' }

function refuseDesign(ctx: HttpContext, error: unknown, back: string) {
  if (!(error instanceof DesignTemplateError)) throw error
  const message = error.message.startsWith('invoicing_pdf.') ? ctx.i18n.t(error.message) : ctx.i18n.t('invoicing_pdf.designs.template_error', { error: error.message })
  refuseForm(ctx, { [error.field]: message }, back)
}

function userId(ctx: HttpContext) {
  return ctx.auth.use('web').user!.id
}

/** The preview document is a separate, locked-down page: its own CSP, framed by this origin only */
function sendPreview(ctx: HttpContext, html: string) {
  ctx.response.header('Content-Security-Policy', PREVIEW_CSP)
  ctx.response.header('X-Frame-Options', 'SAMEORIGIN')
  ctx.response.header('Cache-Control', 'no-store')
  ctx.response.header('Content-Type', 'text/html; charset=utf-8')
  return ctx.response.send(html)
}

function previewError(ctx: HttpContext, error: unknown) {
  if (!(error instanceof TemplateError)) throw error
  const message = ctx.i18n.t('invoicing_pdf.designs.template_error', { error: error.message })
  const escaped = message.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
  return `<!doctype html><meta charset="utf-8"><body style="font-family:sans-serif;color:#b91c1c;padding:16px">${escaped}</body>`
}

/** PDF designs: three shipped, any number written by the tenant in Liquid, with versions */
export default class DesignsController {
  async index(ctx: HttpContext) {
    const choices = await designChoices()
    return ctx.view.render('invoicing::pages/designs/index', {
      choices,
      builtins: BUILTIN_DESIGNS,
      defaultDesign: await currentDefaultDesign(),
    })
  }

  async setDefault(ctx: HttpContext) {
    const input = await validateForm<{ design: string }>(ctx, defaultValidator, { back: BASE })
    if (!input) return
    await setDefaultDesign(input.design)
    ctx.session.flash('success', ctx.i18n.t('invoicing_pdf.designs.default_saved'))
    return ctx.response.redirect(BASE)
  }

  async create(ctx: HttpContext) {
    const from = String(ctx.request.qs().from ?? 'classic')
    const starter = (BUILTIN_DESIGNS as readonly string[]).includes(from) ? from : 'classic'
    return ctx.view.render('invoicing::pages/designs/editor', {
      design: null,
      versions: [],
      previewSrc: `${BASE}/preview?design=builtin:${starter}`,
      values: formValues(ctx, { name: '', template: await builtinTemplate(starter as BuiltinDesign) }),
    })
  }

  async store(ctx: HttpContext) {
    const back = `${BASE}/new`
    const input = await validateForm<{ name: string; template: string }>(ctx, designValidator, { back, labels: LABELS })
    if (!input) return
    try {
      const design = await createDesign(input, userId(ctx))
      ctx.session.flash('success', ctx.i18n.t('invoicing_pdf.designs.created'))
      return ctx.response.redirect(`${BASE}/${design.id}`)
    } catch (error) {
      return refuseDesign(ctx, error, back)
    }
  }

  async edit(ctx: HttpContext) {
    const design = await findDesign(ctx.params.id)
    return ctx.view.render('invoicing::pages/designs/editor', {
      design,
      versions: await designVersions(design),
      previewSrc: `${BASE}/preview?design=tenant:${design.id}`,
      values: formValues(ctx, { name: design.name, template: await activeTemplate(design) }),
    })
  }

  async update(ctx: HttpContext) {
    const design = await findDesign(ctx.params.id)
    const back = `${BASE}/${design.id}`
    const input = await validateForm<{ name: string; template: string }>(ctx, designValidator, { back, labels: LABELS })
    if (!input) return
    try {
      await saveDesignVersion(design, input, userId(ctx))
    } catch (error) {
      return refuseDesign(ctx, error, back)
    }
    ctx.session.flash('success', ctx.i18n.t('invoicing_pdf.designs.version_saved', { version: design.activeVersion }))
    return ctx.response.redirect(back)
  }

  async activate(ctx: HttpContext) {
    const design = await findDesign(ctx.params.id)
    const version = Number(ctx.params.version)
    if (!Number.isInteger(version)) throw new NotFoundError()
    await activateDesignVersion(design, version)
    ctx.session.flash('success', ctx.i18n.t('invoicing_pdf.designs.version_activated', { version }))
    return ctx.response.redirect(`${BASE}/${design.id}`)
  }

  /**
   * Keeps the editor's template as this user's draft. HTMX (live preview while typing) gets a
   * fresh iframe onto it; a plain form post (the Preview button, targeting the iframe) is sent
   * on to the preview page.
   */
  async preview(ctx: HttpContext) {
    const input = await templateValidator.validate(ctx.request.all()).catch(() => null)
    if (!input) return ctx.response.status(422).send(ctx.i18n.t('invoicing_pdf.designs.template_too_long'))
    await storeDraft(ctx.tenant!.id, userId(ctx), input.template)
    const src = `${BASE}/preview?draft=${Date.now()}`
    if (wantsFragment(ctx)) return ctx.view.render('invoicing::partials/designs/preview_frame', { src })
    return ctx.response.redirect(src)
  }

  async previewFrame(ctx: HttpContext) {
    const tenant = ctx.tenant!
    const qs = ctx.request.qs()
    let template: string | null
    if (qs.draft) {
      template = await readDraft(tenant.id, userId(ctx))
    } else {
      const key = String(qs.design ?? '')
      if (!isBuiltin(key) && !/^tenant:\d+$/.test(key)) throw new NotFoundError()
      template = (await resolveDesign(key, tenant.id)).template
    }
    if (template === null) throw new NotFoundError()
    try {
      return sendPreview(ctx, await previewHtml(tenant, ctx.i18n.locale, template))
    } catch (error) {
      return sendPreview(ctx, previewError(ctx, error))
    }
  }

  /** The same preview printed: template from the editor, or a saved/builtin design by key */
  async previewPdf(ctx: HttpContext) {
    const tenant = ctx.tenant!
    let template: string
    const key = ctx.request.input('design')
    if (key) {
      if (!isBuiltin(String(key)) && !/^tenant:\d+$/.test(String(key))) throw new NotFoundError()
      template = (await resolveDesign(String(key), tenant.id)).template
    } else {
      const input = await templateValidator.validate(ctx.request.all()).catch(() => null)
      if (!input) return ctx.response.status(422).send(ctx.i18n.t('invoicing_pdf.designs.template_too_long'))
      template = input.template
    }
    try {
      const pdf = await previewPdf(tenant, ctx.i18n.locale, template)
      ctx.response.header('Content-Type', 'application/pdf')
      ctx.response.header('Content-Disposition', 'inline; filename="design-preview.pdf"')
      ctx.response.header('Cache-Control', 'no-store')
      return ctx.response.send(pdf)
    } catch (error) {
      const page = previewError(ctx, error)
      ctx.response.status(422)
      return sendPreview(ctx, page)
    }
  }
}
