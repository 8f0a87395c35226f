import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { NotFoundError } from '#exceptions/domain_errors'

/** A plugin's routes answer 404 for tenants that have it turned off */
export default class PluginEnabledMiddleware {
  async handle(ctx: HttpContext, next: NextFn, options: { id: string }) {
    if (!ctx.tenant || !ctx.enabledPlugins.has(options.id)) throw new NotFoundError()
    return next()
  }
}
