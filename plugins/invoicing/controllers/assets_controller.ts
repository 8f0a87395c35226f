import type { HttpContext } from '@adonisjs/core/http'
import { readFile } from 'node:fs/promises'
import { NotFoundError } from '#exceptions/domain_errors'

/* The plugin's own stylesheet, served from its folder (the kernel serves only public/) */
const ASSETS: Record<string, { path: URL; type: string }> = {
  'invoicing.css': { path: new URL('../resources/assets/invoicing.css', import.meta.url), type: 'text/css; charset=utf-8' },
}

const cache = new Map<string, string>()

export default class AssetsController {
  async show({ params, response }: HttpContext) {
    const asset = ASSETS[params.file]
    if (!asset) throw new NotFoundError()
    let body = cache.get(params.file)
    if (body === undefined) {
      body = await readFile(asset.path, 'utf8')
      if (process.env.NODE_ENV === 'production') cache.set(params.file, body)
    }
    response.header('Content-Type', asset.type)
    response.header('Cache-Control', 'public, max-age=300')
    response.header('X-Content-Type-Options', 'nosniff')
    return response.send(body)
  }
}
