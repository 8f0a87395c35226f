import type { HttpContext } from '@adonisjs/core/http'
import { DateTime } from 'luxon'
import { NotFoundError } from '#exceptions/domain_errors'
import { findJobRun } from '#jobs/job_store'
import { contentDisposition, findFile, openStream, serveHeaders } from '#services/file_service'
import { wantsFragment } from '#controllers/settings/form_support'
import BulkOperation, { BULK_ACTIONS, type BulkAction } from '#plugins/invoicing/models/bulk_operation'
import type { DocumentType } from '#plugins/invoicing/models/document'
import { csvStream, startBulk } from '#plugins/invoicing/services/bulk_documents'
import { cleanQuery, filteredQuery, listFilterValidator } from '#plugins/invoicing/services/document_listing'
import { TYPES } from '#plugins/invoicing/services/document_view'

/* Who may run what: issuing actions need documents.issue, deleting drafts documents.manage */
const NEEDS: Record<BulkAction, string> = {
  finalize: 'invoicing.documents.issue',
  send: 'invoicing.documents.issue',
  mark_sent: 'invoicing.documents.issue',
  delete: 'invoicing.documents.manage',
  zip: 'invoicing.documents.view',
  csv: 'invoicing.documents.view',
}

const SLUGS: Record<string, DocumentType> = { 'invoices': 'invoice', 'quotes': 'quote', 'credit-notes': 'credit_note' }

/** Bulk actions from a list: start one (a job), watch its live progress, download its result */
export default class BulkController {
  async store(ctx: HttpContext) {
    const type = SLUGS[String(ctx.params.slug)]
    if (!type) throw new NotFoundError()
    const info = TYPES[type]
    const action = String(ctx.request.input('action', '')) as BulkAction
    if (!BULK_ACTIONS.includes(action) || !ctx.permissions.has(NEEDS[action])) {
      ctx.session.flash('error', ctx.i18n.t('errors.forbidden'))
      return ctx.response.redirect(info.base)
    }
    const filter = cleanQuery((ctx.request.input('filter') as Record<string, unknown>) ?? {})
    delete filter.cursor
    let scope
    if (ctx.request.input('scope') === 'filter') {
      scope = { filter }
    } else {
      const raw = ctx.request.input('ids', [])
      const ids = (Array.isArray(raw) ? raw : [raw]).map(Number).filter((n) => Number.isSafeInteger(n) && n > 0).slice(0, 10_000)
      if (!ids.length) {
        ctx.session.flash('error', ctx.i18n.t('invoicing_ui.bulk.nothing_selected'))
        const qs = new URLSearchParams(filter).toString()
        return ctx.response.redirect(qs ? `${info.base}?${qs}` : info.base)
      }
      scope = { ids }
    }
    const op = await startBulk(ctx.tenant!.id, { userId: ctx.auth.use('web').user!.id, documentType: type, action, scope })
    ctx.session.flash('success', ctx.i18n.t('invoicing_ui.bulk.started'))
    return ctx.response.redirect(`/app/invoicing/bulk/${op.id}`)
  }

  /** The list as CSV, streamed row by row (pages of 500) with the list's filter applied */
  async exportCsv(ctx: HttpContext) {
    const type = SLUGS[String(ctx.params.slug)]
    if (!type) throw new NotFoundError()
    const raw = cleanQuery(ctx.request.qs())
    delete raw.cursor
    let filter
    try {
      filter = await listFilterValidator.validate(raw)
    } catch {
      filter = {}
    }
    const zone = ctx.tenant!.timezone
    const pages = async function* () {
      let after = 0
      for (;;) {
        const page = await filteredQuery(type, filter, zone).where('invoicing_documents.id', '>', after).orderBy('invoicing_documents.id').limit(500)
        if (!page.length) return
        yield page
        after = page[page.length - 1].id
      }
    }
    const stamp = DateTime.now().setZone(zone).toFormat('yyyy-LL-dd')
    ctx.response.header('Content-Type', 'text/csv; charset=utf-8')
    ctx.response.header('Content-Disposition', contentDisposition(`${TYPES[type].slug}-${stamp}.csv`, 'attachment'))
    ctx.response.header('X-Content-Type-Options', 'nosniff')
    ctx.response.header('Cache-Control', 'private, no-store')
    return ctx.response.stream(csvStream(ctx.tenant!.id, pages))
  }

  async show(ctx: HttpContext) {
    const op = await this.find(ctx)
    ctx.response.header('Vary', 'HX-Request')
    const data = await this.progressData(ctx, op)
    if (wantsFragment(ctx)) return ctx.view.render('invoicing::partials/bulk/progress', data)
    return ctx.view.render('invoicing::pages/bulk/show', data)
  }

  async download(ctx: HttpContext) {
    const op = await this.find(ctx)
    if (!op.fileId) throw new NotFoundError()
    const file = await findFile(op.fileId)
    for (const [name, value] of Object.entries(serveHeaders(file))) ctx.response.header(name, value)
    return ctx.response.stream(await openStream(file))
  }

  /* an operation is its starter's; another user's (or tenant's) id is simply not found */
  private async find(ctx: HttpContext) {
    const id = Number(ctx.params.id)
    const op = Number.isSafeInteger(id) ? await BulkOperation.query().where('id', id).where('user_id', ctx.auth.use('web').user!.id).first() : null
    if (!op) throw new NotFoundError()
    return op
  }

  private async progressData(ctx: HttpContext, op: BulkOperation) {
    const job = op.jobId ? await findJobRun(ctx.tenant!.id, op.jobId) : null
    const percent = op.isFinished ? 100 : (job?.progress ?? 0)
    return {
      op,
      info: TYPES[op.documentType as DocumentType],
      percent,
      jobFailed: job?.status === 'failed' || job?.status === 'discarded',
      live: !op.isFinished && !(job?.status === 'failed' || job?.status === 'discarded'),
      selfUrl: `/app/invoicing/bulk/${op.id}`,
      started: op.createdAt.setZone(ctx.tenant!.timezone).setLocale(ctx.i18n.locale).toLocaleString(DateTime.DATETIME_SHORT),
    }
  }
}
