import { readFile } from 'node:fs/promises'
import type { HttpContext } from '@adonisjs/core/http'
import { refuseForm } from '#controllers/settings/form_support'
import { MAX_IMPORT_BYTES, previewImport, runImport } from '../services/client_import.js'

const BASE = '/app/invoicing/clients/import'

/** CSV import of clients: upload → preview (rows to create, each row's errors) → confirm */
export default class ClientImportsController {
  async create(ctx: HttpContext) {
    return ctx.view.render('invoicing::pages/clients/import')
  }

  /** The upload (or pasted text) is only read here, never stored: the preview form carries it on */
  async preview(ctx: HttpContext) {
    const file = ctx.request.file('file', { size: MAX_IMPORT_BYTES, extnames: ['csv', 'txt'] })
    let text = ''
    if (file) {
      if (!file.isValid || !file.tmpPath) {
        return refuseForm(ctx, { file: ctx.i18n.t('invoicing.import.bad_file') }, BASE)
      }
      text = await readFile(file.tmpPath, 'utf8')
    } else {
      text = String(ctx.request.input('csv') ?? '')
    }
    if (!text.trim()) return refuseForm(ctx, { file: ctx.i18n.t('invoicing.import.no_file') }, BASE)
    const preview = await previewImport(text, (key, data) => ctx.i18n.t(key, data))
    return ctx.view.render('invoicing::pages/clients/import_preview', { preview, csv: text })
  }

  async store(ctx: HttpContext) {
    const text = String(ctx.request.input('csv') ?? '')
    if (!text.trim()) return refuseForm(ctx, { file: ctx.i18n.t('invoicing.import.no_file') }, BASE)
    const { preview, created } = await runImport(text, (key, data) => ctx.i18n.t(key, data))
    if (preview.fileError) return refuseForm(ctx, { file: preview.fileError }, BASE)
    ctx.session.flash('success', ctx.i18n.t('invoicing.import.done', { created, skipped: preview.rows.length - created }))
    return ctx.response.redirect('/app/invoicing/clients')
  }
}
