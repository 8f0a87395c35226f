/*
| Signing a staff user into the web guard: the one place every way in (password, password reset,
| accepted invitation, social login, passkey) passes through, so the login is recorded the same
| way. A user with two-factor authentication who has only passed the first factor is not signed
| in: a short-lived pending state goes into the session and the second step page takes over.
*/
import type { HttpContext } from '@adonisjs/core/http'
import { DateTime } from 'luxon'
import User from '#models/user'
import { audit } from '#services/audit_service'
import { recordLogin } from '#services/session_tracking'
import { isTwoFactorEnabled } from '#services/two_factor_service'

export type SignInVia = 'password' | 'password_reset' | 'invitation' | 'google' | 'microsoft' | 'passkey'
export type SecondFactor = 'totp' | 'recovery_code' | 'passkey'

/* A passwordless passkey with user verification already is two factors */
const COMPLETE_ON_ITS_OWN: SignInVia[] = ['passkey']

const PENDING_KEY = 'twoFactorPending'
const PENDING_TTL_MS = 5 * 60_000

/** Where to go after signing in: only pages of the app, never another site */
export function safeNext(value: unknown) {
  const next = String(value || '')
  return next.startsWith('/app') && !next.startsWith('/app//') ? next : '/app'
}

export interface PendingSignIn {
  userId: number
  tenantId: number
  via: SignInVia
  next: string
  expiresAt: number
}

/**
 * Signs the user in, or (first factor only, two-factor set up) starts the second step.
 * Answers which of the two happened.
 */
export async function signIn(
  ctx: HttpContext,
  user: User,
  via: SignInVia,
  options: { secondFactor?: SecondFactor; next?: string } = {}
): Promise<'signed_in' | 'second_factor'> {
  if (!options.secondFactor && !COMPLETE_ON_ITS_OWN.includes(via) && (await isTwoFactorEnabled(user))) {
    const pending: PendingSignIn = {
      userId: user.id,
      tenantId: user.tenantId,
      via,
      next: options.next ?? '/app',
      expiresAt: Date.now() + PENDING_TTL_MS,
    }
    ctx.session.put(PENDING_KEY, pending)
    return 'second_factor'
  }
  ctx.session.forget(PENDING_KEY)
  await ctx.auth.use('web').login(user)
  await recordLogin(ctx, user)
  user.lastLoginAt = DateTime.utc()
  await user.save()
  await audit({
    action: 'auth.login',
    subjectType: 'user',
    subjectId: user.id,
    after: options.secondFactor ? { via, secondFactor: options.secondFactor } : { via },
    actor: { type: 'user', id: user.id, label: user.email },
  })
  return 'signed_in'
}

/** The user waiting for their second step on this tenant, while the pending state is fresh */
export async function pendingSignIn(ctx: HttpContext): Promise<{ user: User; pending: PendingSignIn } | null> {
  const pending = ctx.session.get(PENDING_KEY) as PendingSignIn | undefined
  if (!pending || !ctx.tenant || pending.tenantId !== ctx.tenant.id || pending.expiresAt < Date.now()) {
    if (pending) ctx.session.forget(PENDING_KEY)
    return null
  }
  const user = await User.forTenant(ctx.tenant.id).where('id', pending.userId).first()
  if (!user || user.status !== 'active') {
    ctx.session.forget(PENDING_KEY)
    return null
  }
  return { user, pending }
}

export function hasPendingSignIn(ctx: HttpContext) {
  return Boolean(ctx.session.get(PENDING_KEY))
}

export function cancelPendingSignIn(ctx: HttpContext) {
  ctx.session.forget(PENDING_KEY)
}
