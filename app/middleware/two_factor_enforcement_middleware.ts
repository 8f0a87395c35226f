/*
| Tenants may require a second factor for some roles. A signed-in member of such a role who has
| none is sent to enrolment before anything else; only enrolment itself and signing out stay open.
*/
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { mustEnrol } from '#services/two_factor_service'

const ENROLMENT = '/app/account/security'
/* besides enrolment and signing out: the shell's own plumbing (live notifications, theme choice) */
const OPEN = [ENROLMENT, '/logout', '/login', '/api/', '/health/', '/assets/', '/__transmit/', '/app/preferences/']

export default class TwoFactorEnforcementMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    const user = ctx.tenant ? ctx.auth.use('web').user : undefined
    const path = ctx.request.url()
    if (!user || user.status !== 'active' || OPEN.some((open) => path === open || path.startsWith(open.endsWith('/') ? open : `${open}/`))) {
      return next()
    }
    if (!(await mustEnrol(user))) return next()
    if (ctx.isHtmx) {
      ctx.response.header('HX-Redirect', ENROLMENT)
      return ctx.response.status(204).send('')
    }
    return ctx.response.redirect(ENROLMENT)
  }
}
