import type { HttpContext } from '@adonisjs/core/http'
import {
  deleteFile,
  findFile,
  listFiles,
  maxUploadBytes,
  openStream,
  serializeFile,
  serveHeaders,
  storeUpload,
} from '#services/file_service'

/** /api/v1/files: multipart upload, metadata, content download, delete */
export default class FilesApiController {
  async index() {
    return { data: (await listFiles(100)).map(serializeFile) }
  }

  async store({ request, response, auth }: HttpContext) {
    const file = await storeUpload(request.file('file', { size: maxUploadBytes() }), { uploadedBy: auth.use('api').user?.id ?? null })
    return response.created({ data: serializeFile(file) })
  }

  async show({ params }: HttpContext) {
    return { data: serializeFile(await findFile(params.id)) }
  }

  async content({ params, request, response }: HttpContext) {
    const file = await findFile(params.id)
    const stream = await openStream(file)
    for (const [name, value] of Object.entries(serveHeaders(file, request.input('inline') === '1'))) {
      response.header(name, value)
    }
    return response.stream(stream)
  }

  async destroy({ params, response }: HttpContext) {
    await deleteFile(await findFile(params.id))
    return response.noContent()
  }
}
