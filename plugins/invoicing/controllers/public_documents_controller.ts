import type { HttpContext } from '@adonisjs/core/http'
import { NotFoundError } from '#exceptions/domain_errors'
import { resolveTheme } from '#theming/theme'
import Client from '#plugins/invoicing/models/client'
import type Document from '#plugins/invoicing/models/document'
import { acceptQuote, declineQuote, linesOf, markViewed } from '#plugins/invoicing/services/documents'
import { findByPublicToken } from '#plugins/invoicing/services/documents_tokens'
import { canTransition } from '#plugins/invoicing/services/lifecycle'
import { todayIn } from '#plugins/invoicing/services/document_listing'
import { partiesOf, presentDocument } from '#plugins/invoicing/services/document_view'
import { pdfResponse } from '#plugins/invoicing/services/document_delivery'
import { refusal } from './documents_pages.js'

/*
| The page a client opens from the email: the document in the tenant's colours, its PDF, and for
| quotes accept/decline. It authorises by the unguessable token in the path; another tenant's
| token (or a draft's) finds nothing and answers 404.
*/
export default class PublicDocumentsController {
  private async find(ctx: HttpContext) {
    const doc = await findByPublicToken(ctx.tenant!.id, String(ctx.params.token ?? ''))
    if (!doc) throw new NotFoundError()
    return doc
  }

  /** Staff of this tenant who open the link are previewing, not the client viewing */
  private async isStaffPreview(ctx: HttpContext) {
    const user = await ctx.auth.use('web').check().then(() => ctx.auth.use('web').user).catch(() => null)
    return Boolean(user && user.tenantId === ctx.tenant!.id)
  }

  async show(ctx: HttpContext) {
    let doc = await this.find(ctx)
    const preview = await this.isStaffPreview(ctx)
    if (!preview && !doc.viewedAt && canTransition(doc, 'view')) doc = await markViewed(doc)
    return this.render(ctx, doc, preview)
  }

  async pdf(ctx: HttpContext) {
    return pdfResponse(ctx, await this.find(ctx))
  }

  async accept(ctx: HttpContext) {
    return this.answer(ctx, 'accept')
  }

  async decline(ctx: HttpContext) {
    return this.answer(ctx, 'decline')
  }

  private async answer(ctx: HttpContext, choice: 'accept' | 'decline') {
    const doc = await this.find(ctx)
    if (doc.type !== 'quote') throw new NotFoundError()
    try {
      if (choice === 'accept') await acceptQuote(doc)
      else await declineQuote(doc)
    } catch (error) {
      const message = refusal(ctx, error)
      if (!message) throw error
      ctx.session.flash('error', message)
    }
    return ctx.response.redirect(ctx.request.url().replace(/\/(accept|decline)$/, ''))
  }

  private async render(ctx: HttpContext, doc: Document, preview: boolean) {
    const locale = ['en', 'de'].includes(doc.language) ? doc.language : ctx.i18n.locale
    ctx.i18n.switchLocale(locale)
    const [lines, client] = await Promise.all([linesOf(doc), Client.forTenant(doc.tenantId).where('id', doc.clientId).first()])
    const d = presentDocument(doc, lines, locale, todayIn(ctx.tenant!.timezone))
    const base = ctx.request.url().replace(/\/$/, '')
    ctx.response.header('X-Robots-Tag', 'noindex')
    ctx.response.header('Referrer-Policy', 'no-referrer')
    ctx.response.header('Cache-Control', 'private, no-store')
    return ctx.view.render('invoicing::pages/public/document', {
      d,
      parties: partiesOf(doc, ctx.tenant!, client),
      logoUrl: resolveTheme(ctx.tenant!.theme).logoUrl,
      related: null,
      preview,
      base,
      locale,
      canAnswer: doc.type === 'quote' && canTransition(doc, 'accept'),
      slotDocument: { id: doc.id, type: doc.type, status: doc.status, number: doc.number, currency: doc.currency, total: doc.total, balanceDue: doc.balanceDue, clientId: doc.clientId, publicPath: base },
    })
  }
}
