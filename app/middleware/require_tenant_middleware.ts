import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'

/** Routes that only exist on a tenant host */
export default class RequireTenantMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    if (!ctx.tenant) return ctx.response.notFound('Not found')
    return next()
  }
}
