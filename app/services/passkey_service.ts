/*
| Passkeys (WebAuthn through @simplewebauthn/server): registration, and authentication either as
| a second factor for a known user or as a passwordless sign-in (discoverable credential with
| user verification). The relying party is the tenant's host name; the origin is the request's.
| Challenges live in the session and are used once.
*/
import type { HttpContext } from '@adonisjs/core/http'
import { DateTime } from 'luxon'
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server'
import { isoBase64URL, isoUint8Array } from '@simplewebauthn/server/helpers'
import type User from '#models/user'
import UserPasskey from '#models/user_passkey'
import { audit } from '#services/audit_service'
import { ensureRecoveryCodes, roleRequiresTwoFactor, twoFactorStatus, TwoFactorRequiredError } from '#services/two_factor_service'
import { DomainError, NotFoundError } from '#exceptions/domain_errors'

const CHALLENGE_TTL_MS = 5 * 60_000
const REGISTRATION_KEY = 'passkeyRegistration'
const AUTHENTICATION_KEY = 'passkeyAuthentication'

export class PasskeyRejectedError extends DomainError {
  constructor(reason: string) {
    super(`Passkey not accepted: ${reason}`, { code: 'E_PASSKEY_REJECTED', status: 422, messageKey: 'security.passkey_rejected' })
  }
}

/** The relying party of this request: the host name without the port, and the full origin */
export function relyingParty(ctx: HttpContext) {
  const hostname = ctx.request.hostname() ?? ''
  return { id: hostname, origin: `${ctx.request.protocol()}://${ctx.request.host()}`, name: ctx.tenant?.name ?? hostname }
}

function takeChallenge(ctx: HttpContext, key: string) {
  const stored = ctx.session.get(key) as { challenge: string; expiresAt: number; userId?: number | null } | undefined
  ctx.session.forget(key)
  if (!stored || stored.expiresAt < Date.now()) throw new PasskeyRejectedError('no pending challenge')
  return stored
}

export function passkeysOf(user: User) {
  return UserPasskey.forTenant(user.tenantId).where('user_id', user.id).orderBy('created_at', 'asc')
}

/* ------------------------------------------------------------------ registration */

export async function registrationOptions(ctx: HttpContext, user: User) {
  const rp = relyingParty(ctx)
  const existing = await passkeysOf(user)
  const options = await generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userName: user.email,
    userDisplayName: user.fullName ?? user.email,
    /* a stable handle without personal data, so an authenticator keeps one entry per account */
    userID: isoUint8Array.fromUTF8String(`cf:${user.tenantId}:${user.id}`),
    attestationType: 'none',
    excludeCredentials: existing.map((p) => ({ id: p.credentialId, transports: p.transports })),
    authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' },
  })
  ctx.session.put(REGISTRATION_KEY, { challenge: options.challenge, expiresAt: Date.now() + CHALLENGE_TTL_MS, userId: user.id })
  return options
}

/** Verifies the authenticator's answer and stores the passkey; returns it and any first recovery codes */
export async function registerPasskey(ctx: HttpContext, user: User, name: string, response: RegistrationResponseJSON) {
  const stored = takeChallenge(ctx, REGISTRATION_KEY)
  if (stored.userId !== user.id) throw new PasskeyRejectedError('challenge of another user')
  const rp = relyingParty(ctx)
  let verification
  try {
    verification = await verifyRegistrationResponse({
      response,
      expectedChallenge: stored.challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      requireUserVerification: false,
    })
  } catch (error) {
    throw new PasskeyRejectedError((error as Error).message)
  }
  if (!verification.verified) throw new PasskeyRejectedError('not verified')
  const info = verification.registrationInfo
  const taken = await UserPasskey.forTenant(user.tenantId).where('credential_id', info.credential.id).first()
  if (taken) throw new PasskeyRejectedError('already registered')
  const passkey = await UserPasskey.create({
    tenantId: user.tenantId,
    userId: user.id,
    name,
    credentialId: info.credential.id,
    publicKey: isoBase64URL.fromBuffer(info.credential.publicKey),
    counter: info.credential.counter,
    transports: info.credential.transports ?? [],
    deviceType: info.credentialDeviceType,
    backedUp: info.credentialBackedUp,
  })
  await audit({ action: 'two_factor.passkey_added', subjectType: 'user', subjectId: user.id, after: { passkeyId: passkey.id, name } })
  const recoveryCodes = await ensureRecoveryCodes(user)
  return { passkey, recoveryCodes }
}

export async function removePasskey(user: User, id: number) {
  const passkey = await UserPasskey.forTenant(user.tenantId).where('user_id', user.id).where('id', id).first()
  if (!passkey) throw new NotFoundError()
  const status = await twoFactorStatus(user)
  if (!status.totpEnabled && status.passkeys === 1 && (await roleRequiresTwoFactor(user))) throw new TwoFactorRequiredError()
  await passkey.delete()
  await audit({ action: 'two_factor.passkey_removed', subjectType: 'user', subjectId: user.id, before: { passkeyId: passkey.id, name: passkey.name } })
  return passkey
}

/* ------------------------------------------------------------------ authentication */

/**
 * Options for signing in. With a user (second step) only their passkeys are offered; without
 * one the browser lists the discoverable passkeys it has for this host, and the authenticator
 * must verify the user (PIN or biometrics), since the passkey then stands for both factors.
 */
export async function authenticationOptions(ctx: HttpContext, user: User | null) {
  const rp = relyingParty(ctx)
  const allow = user ? await passkeysOf(user) : []
  const options = await generateAuthenticationOptions({
    rpID: rp.id,
    allowCredentials: allow.map((p) => ({ id: p.credentialId, transports: p.transports })),
    userVerification: user ? 'preferred' : 'required',
  })
  ctx.session.put(AUTHENTICATION_KEY, { challenge: options.challenge, expiresAt: Date.now() + CHALLENGE_TTL_MS, userId: user?.id ?? null })
  return options
}

/** Verifies a sign-in answer; returns the passkey used. With `user`, the passkey must be theirs. */
export async function verifyPasskey(ctx: HttpContext, response: AuthenticationResponseJSON, user: User | null) {
  const stored = takeChallenge(ctx, AUTHENTICATION_KEY)
  if ((stored.userId ?? null) !== (user?.id ?? null)) throw new PasskeyRejectedError('challenge for another sign-in')
  const passkey = await UserPasskey.forTenant(ctx.tenant!.id).where('credential_id', String(response?.id ?? '')).first()
  if (!passkey || (user && passkey.userId !== user.id)) throw new PasskeyRejectedError('unknown credential')
  const rp = relyingParty(ctx)
  let verification
  try {
    verification = await verifyAuthenticationResponse({
      response,
      expectedChallenge: stored.challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      credential: {
        id: passkey.credentialId,
        publicKey: isoBase64URL.toBuffer(passkey.publicKey),
        counter: passkey.counter,
        transports: passkey.transports as any,
      },
      requireUserVerification: !user,
    })
  } catch (error) {
    throw new PasskeyRejectedError((error as Error).message)
  }
  if (!verification.verified) throw new PasskeyRejectedError('not verified')
  passkey.counter = verification.authenticationInfo.newCounter
  passkey.lastUsedAt = DateTime.utc()
  await passkey.save()
  return passkey
}
