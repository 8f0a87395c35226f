import type { HttpContext } from '@adonisjs/core/http'
import {
  FileRejectedError,
  deleteFile,
  findFile,
  listFiles,
  maxUploadBytes,
  openStream,
  serveHeaders,
  storeUpload,
} from '#services/file_service'

const BACK = '/app/files'

/** The tenant's uploaded files: list, upload, download, delete */
export default class FilesController {
  async index(ctx: HttpContext) {
    return ctx.view.render('pages/files/index', {
      files: await listFiles(100),
      maxBytes: maxUploadBytes(),
      canManage: ctx.permissions.has('kernel.files.manage'),
    })
  }

  async store(ctx: HttpContext) {
    const { request, session, response, i18n, auth } = ctx
    try {
      const file = await storeUpload(request.file('file', { size: maxUploadBytes() }), {
        uploadedBy: auth.user?.id ?? null,
      })
      session.flash('success', i18n.t('files.uploaded', { name: file.originalName }))
    } catch (error) {
      if (!(error instanceof FileRejectedError)) throw error
      session.flashErrors({ file: i18n.t(error.messageKey!) })
    }
    return response.redirect(BACK)
  }

  async show(ctx: HttpContext) {
    const file = await findFile(ctx.params.id)
    const stream = await openStream(file)
    for (const [name, value] of Object.entries(serveHeaders(file, ctx.request.input('inline') === '1'))) {
      ctx.response.header(name, value)
    }
    return ctx.response.stream(stream)
  }

  async destroy(ctx: HttpContext) {
    const file = await findFile(ctx.params.id)
    await deleteFile(file)
    ctx.session.flash('success', ctx.i18n.t('files.deleted', { name: file.originalName }))
    return ctx.response.redirect(BACK)
  }
}
