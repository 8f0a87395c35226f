/*
| Signing a staff user into the web guard after a password reset, an accepted invitation or a
| social login: one place that records the login the same way.
*/
import type { HttpContext } from '@adonisjs/core/http'
import { DateTime } from 'luxon'
import type User from '#models/user'
import { audit } from '#services/audit_service'
import { recordLogin } from '#services/session_tracking'

export async function signIn(ctx: HttpContext, user: User, via: 'password_reset' | 'invitation' | 'google' | 'microsoft') {
  await ctx.auth.use('web').login(user)
  await recordLogin(ctx, user)
  user.lastLoginAt = DateTime.utc()
  await user.save()
  await audit({
    action: 'auth.login',
    subjectType: 'user',
    subjectId: user.id,
    after: { via },
    actor: { type: 'user', id: user.id, label: user.email },
  })
}
