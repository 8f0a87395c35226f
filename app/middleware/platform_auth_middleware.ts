import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'

/** The platform-admin area: operators signed in through the platform guard */
export default class PlatformAuthMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    const guard = ctx.auth.use('platform')
    if (!(await guard.check())) {
      return ctx.response.redirect(`/platform/login`)
    }
    if ('view' in ctx) ctx.view.share({ platformAdmin: guard.user })
    return next()
  }
}
