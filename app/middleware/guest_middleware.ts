import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'

/** Pages for signed-out staff (login, reset): signed-in staff go to the dashboard */
export default class GuestMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    if (ctx.tenant && ctx.auth.use('web').isAuthenticated) {
      return ctx.response.redirect('/app', true)
    }
    return next()
  }
}
