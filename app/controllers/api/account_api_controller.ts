import type { HttpContext } from '@adonisjs/core/http'
import type User from '#models/user'
import type TrackedSession from '#models/tracked_session'
import { changePassword } from '#services/account_service'
import { activeSessions, revokeSession } from '#services/session_tracking'
import { changePasswordApiValidator } from '#validators/account_profile'
import { refusalMessages } from '#controllers/account/profile_controller'
import { ForbiddenError } from '#exceptions/domain_errors'

function serialize(row: TrackedSession) {
  return {
    id: row.id,
    device: row.deviceLabel || null,
    userAgent: row.userAgent,
    ipAddress: row.ipAddress,
    createdAt: row.createdAt.toUTC().toISO(),
    lastSeenAt: row.lastSeenAt.toUTC().toISO(),
  }
}

/*
| The account itself (sessions, password) is only for a token with full access: a token scoped
| to, say, invoices must not be able to take the account over.
*/
function accountOwner(ctx: HttpContext) {
  if (!ctx.apiToken?.abilities.includes('*')) throw new ForbiddenError('*')
  return ctx.auth.use('api').user as User
}

/**
 * /api/v1/me/sessions and /api/v1/me/password: the token owner's browser sessions and password.
 * A token is not a browser session, so changing the password here signs out every session.
 */
export default class AccountApiController {
  async sessions(ctx: HttpContext) {
    const user = accountOwner(ctx)
    return { data: (await activeSessions(user)).map(serialize) }
  }

  async revokeSession(ctx: HttpContext) {
    const user = accountOwner(ctx)
    await revokeSession(user, Number(ctx.params.id))
    return ctx.response.noContent()
  }

  async changePassword(ctx: HttpContext) {
    const user = accountOwner(ctx)
    const input = await ctx.request.validateUsing(changePasswordApiValidator)
    const revoked = await changePassword(user, input, null, refusalMessages(ctx))
    return { data: { sessionsRevoked: revoked } }
  }
}
