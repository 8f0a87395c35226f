/*
| A staff user's own account: profile (name, sign-in address) and password change. Changing
| the password needs the current one, follows the password policy and signs out every other
| session of the user. Wrong current passwords are limited per user, so a stolen session cannot
| be used to guess the password.
*/
import hash from '@adonisjs/core/services/hash'
import limiter from '@adonisjs/limiter/services/main'
import { errors as vineErrors } from '@vinejs/vine'
import User from '#models/user'
import { audit } from '#services/audit_service'
import { revokeOtherSessions } from '#services/session_tracking'

/** A refusal of one field, answered like a validation error (field error in forms, 422 in the API) */
export function fieldError(field: string, message: string, rule: string) {
  return new vineErrors.E_VALIDATION_ERROR([{ field, message, rule }])
}

function currentPasswordLimiter() {
  return limiter.use({ requests: 5, duration: '15 mins', blockDuration: '15 mins' })
}

async function assertCurrentPassword(user: User, candidate: string | undefined, messages: { wrong: string; throttled: (seconds: number) => string }) {
  /* the creation time too: ids come back when a database is recreated, limiter keys in Redis stay */
  const key = `password_confirm_${user.tenantId}_${user.id}_${user.createdAt.toMillis()}`
  const gate = currentPasswordLimiter()
  if ((await gate.remaining(key)) <= 0) {
    throw fieldError('current_password', messages.throttled(Math.max(await gate.availableIn(key), 1)), 'throttled')
  }
  const ok = Boolean(candidate && user.password && (await hash.use('scrypt').verify(user.password, candidate)))
  if (!ok) {
    await gate.increment(key)
    throw fieldError('current_password', messages.wrong, 'currentPassword')
  }
  await gate.delete(key)
}

export interface ProfileInput {
  fullName?: string | null
  email: string
  current_password?: string
}

/** Saves name and address; a new address needs the current password and must be free here */
export async function updateProfile(
  user: User,
  input: ProfileInput,
  messages: { wrong: string; throttled: (seconds: number) => string; needsPassword: string; taken: string }
) {
  const before = { fullName: user.fullName, email: user.email }
  const email = input.email.trim().toLowerCase()
  if (email !== user.email) {
    if (!input.current_password) throw fieldError('current_password', messages.needsPassword, 'required')
    await assertCurrentPassword(user, input.current_password, messages)
    const taken = await User.forTenant(user.tenantId).where('email', email).whereNot('id', user.id).first()
    if (taken) throw fieldError('email', messages.taken, 'unique')
  }
  user.fullName = input.fullName?.trim() || null
  user.email = email
  await user.save()
  const after = { fullName: user.fullName, email: user.email }
  if (JSON.stringify(before) !== JSON.stringify(after)) {
    await audit({ action: 'user.profile_updated', subjectType: 'user', subjectId: user.id, before, after })
  }
}

/**
 * Sets a new password (already checked against the policy by the validator) and revokes every
 * other session; `keepSession` is the tracked session making the change, if any. Answers how
 * many sessions were signed out.
 */
export async function changePassword(
  user: User,
  input: { current_password: string; password: string },
  keepSession: number | null,
  messages: { wrong: string; throttled: (seconds: number) => string; same: string }
) {
  await assertCurrentPassword(user, input.current_password, messages)
  if (input.password === input.current_password) throw fieldError('password', messages.same, 'different')
  user.password = input.password
  await user.save()
  const revoked = await revokeOtherSessions(user, keepSession, 'password_changed')
  await audit({ action: 'user.password_changed', subjectType: 'user', subjectId: user.id, after: { otherSessionsRevoked: revoked } })
  return revoked
}
