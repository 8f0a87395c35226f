/*
| Router middleware after locale detection: checks the tracked session of a signed-in staff
| user on every request (see services/session_tracking.ts). A revoked or timed-out session is
| signed out here, before any route runs, with a note on the sign-in page; a session that
| signed out has its row ended.
*/
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { checkRequest, endSignedOut, SESSION_KEY } from '#services/session_tracking'

declare module '@adonisjs/core/http' {
  interface HttpContext {
    /** id of the current request's tracked session (signed-in staff only) */
    trackedSessionId?: number
  }
}

const TIMEOUT_REASONS = new Set(['idle_timeout', 'absolute_timeout'])

export default class TrackedSessionMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    if (!ctx.tenant || !('session' in ctx) || ctx.request.url().startsWith('/api/')) return next()
    const guard = ctx.auth.use('web')
    const signedIn = ctx.session.has(guard.sessionKeyName)
    if (!signedIn) {
      if (ctx.session.has(SESSION_KEY)) await endSignedOut(ctx, ctx.tenant.id)
      return next()
    }
    await guard.check()
    const user = guard.user
    if (!user || user.tenantId !== ctx.tenant.id) return next()
    const result = await checkRequest(ctx, user)
    if (result.state === 'active') {
      ctx.trackedSessionId = result.session.id
      return next()
    }
    await guard.logout()
    ctx.session.forget(SESSION_KEY)
    const key = TIMEOUT_REASONS.has(result.reason) ? 'account.session_timed_out' : 'account.session_ended'
    ctx.session.flash('error', ctx.i18n.t(key))
    return next()
  }
}
