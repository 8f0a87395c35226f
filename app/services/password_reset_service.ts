/*
| Password reset for staff of the current tenant: a one-hour, single-use link by mail. Asking
| for a reset says nothing about whether the address has an account.
*/
import db from '@adonisjs/lucid/services/db'
import limiter from '@adonisjs/limiter/services/main'
import User from '#models/user'
import PasswordResetMail from '#mails/password_reset_mail'
import { tenantContext } from '#tenancy/tenant_context'
import { audit } from '#services/audit_service'
import { deliver, tenantUrl } from '#services/mail_service'
import { revokeAllSessions } from '#services/session_tracking'
import {
  consumeToken,
  issueToken,
  revokeTokens,
  TokenUnusableError,
  usableToken,
} from '#services/user_token_service'

export const RESET_TTL = { hours: 1 }

/*
| Reset requests are counted per address and per IP whether or not the address has an account,
| so the limit itself reveals nothing. Returns the seconds to wait, or 0 when allowed.
*/
export async function throttleResetRequest(tenantId: number, email: string, ip: string) {
  const perAddress = limiter.use({ requests: 3, duration: '15 mins', blockDuration: '15 mins' })
  const perIp = limiter.use({ requests: 10, duration: '15 mins', blockDuration: '30 mins' })
  const keys = [`reset_account_${tenantId}_${email}`, `reset_ip_${tenantId}_${ip}`] as const
  const [a, i] = await Promise.all([perAddress.remaining(keys[0]), perIp.remaining(keys[1])])
  if (a <= 0 || i <= 0) {
    const waits = await Promise.all([perAddress.availableIn(keys[0]), perIp.availableIn(keys[1])])
    return Math.max(...waits, 1)
  }
  await Promise.all([perAddress.increment(keys[0]), perIp.increment(keys[1])])
  return 0
}

export async function requestPasswordReset(email: string): Promise<void> {
  const tenant = tenantContext.requireTenant('password reset')
  const address = email.trim().toLowerCase()
  const user = await User.query().where('email', address).where('status', 'active').first()
  if (!user) return

  const token = await db.transaction(async (trx) => {
    await revokeTokens(user, 'reset', trx)
    return issueToken(user, 'reset', RESET_TTL, { client: trx })
  })
  await audit({
    action: 'auth.password_reset_requested',
    subjectType: 'user',
    subjectId: user.id,
    actor: { type: 'system', label: address },
  })
  await deliver(
    new PasswordResetMail({
      to: user.email,
      tenant,
      url: await tenantUrl(tenant, `/reset-password/${token}`),
      locale: user.locale,
    })
  )
}

/** Sets the new password and uses the link up; returns the user to sign in */
export async function resetPassword(token: string, password: string): Promise<User> {
  const { token: row, user } = await usableToken(token, 'reset', 'active')
  await db.transaction(async (trx) => {
    if (!(await consumeToken(row, trx))) throw new TokenUnusableError('used')
    user.useTransaction(trx)
    user.password = password
    await user.save()
    await revokeTokens(user, 'reset', trx)
  })
  /* whoever knew the old password is signed out everywhere; the caller signs this browser in anew */
  await revokeAllSessions(user, 'password_changed')
  await audit({
    action: 'auth.password_reset',
    subjectType: 'user',
    subjectId: user.id,
    actor: { type: 'user', id: user.id, label: user.email },
  })
  return user
}
