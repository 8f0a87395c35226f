import type { HttpContext } from '@adonisjs/core/http'
import { buildOpenApi } from '#api/openapi'
import { NotFoundError } from '#exceptions/domain_errors'

/**
 * The OpenAPI document and the docs page. Both are public on a workspace host (no token): they
 * describe what the API offers there, never any data.
 */
export default class OpenapiController {
  async show(ctx: HttpContext) {
    const tenant = ctx.tenant
    if (!tenant) throw new NotFoundError()
    const doc = await buildOpenApi({
      tenantId: tenant.id,
      enabledPlugins: ctx.enabledPlugins,
      serverUrl: `${ctx.request.protocol()}://${ctx.request.host()}/api/v1`,
      title: `${tenant.name} API`,
    })
    ctx.response.header('cache-control', 'no-cache')
    return doc
  }

  async docs(ctx: HttpContext) {
    const tenant = ctx.tenant
    if (!tenant) throw new NotFoundError()
    return ctx.view.render('pages/api_docs', { specUrl: '/api/v1/openapi.json' })
  }
}
