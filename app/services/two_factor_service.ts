/*
| Two-factor authentication: TOTP (RFC 6238 through `otpauth`) with replay protection, single-use
| recovery codes, the tenant's rule of which roles must use a second factor, and the admin reset.
| Passkeys live in passkey_service.ts; they count as a second factor here.
*/
import { randomInt } from 'node:crypto'
import * as OTPAuth from 'otpauth'
import QRCode from 'qrcode'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import hash from '@adonisjs/core/services/hash'
import type Tenant from '#models/tenant'
import type User from '#models/user'
import UserTwoFactor from '#models/user_two_factor'
import UserRecoveryCode from '#models/user_recovery_code'
import UserPasskey from '#models/user_passkey'
import TenantSecuritySetting from '#models/tenant_security_setting'
import { ROLE_ORDER, roleKeyOf } from '#services/access_service'
import { audit, diff } from '#services/audit_service'
import { DomainError } from '#exceptions/domain_errors'

export type TotpAlgorithm = 'SHA1' | 'SHA256' | 'SHA512'

/* What authenticator apps expect; the RFC vectors exercise the other algorithms and lengths */
export const TOTP_PERIOD = 30
export const TOTP_DIGITS = 6
export const TOTP_ALGORITHM: TotpAlgorithm = 'SHA1'
/* ±1 step: a code from the previous or next 30 s still counts (clock drift, typing time) */
export const TOTP_WINDOW = 1
export const RECOVERY_CODE_COUNT = 10

/** The time TOTP codes are checked against; tests fix it */
export const twoFactorClock = { now: () => Date.now() }

export interface TotpOptions {
  algorithm?: TotpAlgorithm
  digits?: number
  period?: number
  timestamp?: number
}

function totpFor(secret: OTPAuth.Secret, options: TotpOptions = {}) {
  return new OTPAuth.TOTP({
    secret,
    algorithm: options.algorithm ?? TOTP_ALGORITHM,
    digits: options.digits ?? TOTP_DIGITS,
    period: options.period ?? TOTP_PERIOD,
  })
}

function secretOf(secret: string | Uint8Array) {
  return typeof secret === 'string' ? OTPAuth.Secret.fromBase32(secret) : new OTPAuth.Secret({ buffer: Uint8Array.from(secret).buffer })
}

/** The code for a secret (base32 text or raw bytes) at a moment */
export function totpCode(secret: string | Uint8Array, options: TotpOptions = {}) {
  return totpFor(secretOf(secret), options).generate({ timestamp: options.timestamp ?? twoFactorClock.now() })
}

/**
 * The time step a code belongs to when it is valid within ±1 step of the moment, else null.
 * The step, not a boolean, so the caller can refuse a step it has already accepted.
 */
export function matchTotp(secret: string | Uint8Array, token: string, options: TotpOptions = {}): number | null {
  const code = token.replace(/\s+/g, '')
  const digits = options.digits ?? TOTP_DIGITS
  if (!new RegExp(`^\\d{${digits}}$`).test(code)) return null
  const totp = totpFor(secretOf(secret), options)
  const timestamp = options.timestamp ?? twoFactorClock.now()
  const delta = totp.validate({ token: code, timestamp, window: TOTP_WINDOW })
  if (delta === null) return null
  return totp.counter({ timestamp }) + delta
}

export class InvalidTwoFactorCodeError extends DomainError {
  constructor() {
    super('The code is not valid', { code: 'E_TWO_FACTOR_CODE', status: 422, messageKey: 'security.code_invalid' })
  }
}

export class TwoFactorRequiredError extends DomainError {
  constructor() {
    super('Your role requires two-factor authentication', {
      code: 'E_TWO_FACTOR_REQUIRED',
      status: 409,
      messageKey: 'security.last_factor_required',
    })
  }
}

/* ------------------------------------------------------------------ status */

async function enrolmentOf(user: User) {
  return UserTwoFactor.forTenant(user.tenantId).where('user_id', user.id).first()
}

export interface TwoFactorStatus {
  totpEnabled: boolean
  passkeys: number
  recoveryCodesLeft: number
  /** at least one second factor is set up */
  enabled: boolean
}

export async function twoFactorStatus(user: User): Promise<TwoFactorStatus> {
  const [enrolment, passkeys, codes] = await Promise.all([
    enrolmentOf(user),
    UserPasskey.forTenant(user.tenantId).where('user_id', user.id).count('* as total'),
    UserRecoveryCode.forTenant(user.tenantId).where('user_id', user.id).whereNull('used_at').count('* as total'),
  ])
  const totpEnabled = Boolean(enrolment?.totpEnabledAt && enrolment.totpSecret)
  const passkeyCount = Number(passkeys[0].$extras.total)
  return {
    totpEnabled,
    passkeys: passkeyCount,
    recoveryCodesLeft: Number(codes[0].$extras.total),
    enabled: totpEnabled || passkeyCount > 0,
  }
}

export async function isTwoFactorEnabled(user: User) {
  return (await twoFactorStatus(user)).enabled
}

/** Ids of a tenant's users with a second factor, in two queries (for lists of members) */
export async function usersWithTwoFactor(tenantId: number): Promise<Set<number>> {
  const [totp, passkeys] = await Promise.all([
    UserTwoFactor.forTenant(tenantId).whereNotNull('totp_enabled_at').select('user_id'),
    UserPasskey.forTenant(tenantId).distinct('user_id'),
  ])
  return new Set([...totp, ...passkeys].map((row) => row.userId))
}

/* ------------------------------------------------------------------ TOTP enrolment */

export interface TotpEnrolment {
  secret: string
  uri: string
  /** the otpauth:// URI as a QR code, an SVG data URL */
  qrCode: string
}

/** A pending secret to scan (the same one until it is confirmed, so a reload shows the same QR code) */
export async function startTotpEnrolment(user: User, tenant: Tenant): Promise<TotpEnrolment> {
  const enrolment = (await enrolmentOf(user)) ?? new UserTwoFactor().merge({ tenantId: user.tenantId, userId: user.id })
  if (!enrolment.totpPendingSecret) {
    enrolment.totpPendingSecret = new OTPAuth.Secret({ size: 20 }).base32
    await enrolment.save()
  }
  const secret = enrolment.totpPendingSecret
  const uri = new OTPAuth.TOTP({
    issuer: tenant.name,
    label: user.email,
    secret: OTPAuth.Secret.fromBase32(secret),
    algorithm: TOTP_ALGORITHM,
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD,
  }).toString()
  const svg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 })
  return { secret, uri, qrCode: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}` }
}

/**
 * Confirms the pending secret with a code from the app and turns TOTP on. Returns fresh recovery
 * codes when the user had none yet (to be shown once), else an empty list.
 */
export async function confirmTotp(user: User, code: string): Promise<string[]> {
  const enrolment = await enrolmentOf(user)
  const secret = enrolment?.totpPendingSecret
  const counter = secret ? matchTotp(secret, code) : null
  if (!enrolment || !secret || counter === null) throw new InvalidTwoFactorCodeError()
  enrolment.merge({
    totpSecret: secret,
    totpPendingSecret: null,
    totpEnabledAt: DateTime.utc(),
    totpLastCounter: counter,
  })
  await enrolment.save()
  await audit({ action: 'two_factor.totp_enabled', subjectType: 'user', subjectId: user.id })
  return ensureRecoveryCodes(user)
}

/**
 * Checks a code against the user's confirmed secret and records its time step in one
 * conditional UPDATE, so of two requests racing with the same code only one wins.
 */
export async function verifyTotp(user: User, code: string): Promise<boolean> {
  const enrolment = await enrolmentOf(user)
  if (!enrolment?.totpSecret || !enrolment.totpEnabledAt) return false
  const counter = matchTotp(enrolment.totpSecret, code)
  if (counter === null) return false
  const updated = await db
    .from('user_two_factors')
    .where('id', enrolment.id)
    .where('tenant_id', user.tenantId)
    .where((q) => q.whereNull('totp_last_counter').orWhere('totp_last_counter', '<', counter))
    .update({ totp_last_counter: counter, updated_at: now() })
  return affected(updated) === 1
}

/** The current time as the connection's dialect stores timestamps (for query-builder updates) */
function now() {
  return DateTime.utc().toFormat(db.connection().dialect.dateTimeFormat)
}

/** Rows changed by an UPDATE: a number on SQLite and PostgreSQL, an array on some drivers */
function affected(result: unknown) {
  return Number(Array.isArray(result) ? result[0] : result)
}

/** Disabling needs proof: the password or a current code. Refused when the role needs a factor and none would remain. */
export async function disableTotp(user: User, proof: { password?: string | null; code?: string | null }) {
  const status = await twoFactorStatus(user)
  if (!status.totpEnabled) return false
  const byPassword = proof.password && user.password ? await user.verifyPassword(proof.password) : false
  const byCode = !byPassword && proof.code ? await verifyTotp(user, proof.code) : false
  if (!byPassword && !byCode) throw new InvalidTwoFactorCodeError()
  if (status.passkeys === 0 && (await roleRequiresTwoFactor(user))) throw new TwoFactorRequiredError()
  await UserTwoFactor.forTenant(user.tenantId)
    .where('user_id', user.id)
    .update({ totp_secret: null, totp_pending_secret: null, totp_enabled_at: null, updated_at: now() })
  if (status.passkeys === 0) await UserRecoveryCode.forTenant(user.tenantId).where('user_id', user.id).delete()
  await audit({ action: 'two_factor.totp_disabled', subjectType: 'user', subjectId: user.id, after: { via: byPassword ? 'password' : 'code' } })
  return true
}

/* ------------------------------------------------------------------ recovery codes */

/* Without look-alikes (i, l, o, 0, 1). Hashed with scrypt, pinned like the passwords' hasher, so
   a change of the default driver does not orphan codes already handed out. */
const CODE_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789'

function newRecoveryCode() {
  let code = ''
  for (let i = 0; i < 10; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]
  return `${code.slice(0, 5)}-${code.slice(5)}`
}

function normalizeRecoveryCode(code: string) {
  return code.toLowerCase().replace(/[^a-z0-9]/g, '')
}

async function replaceRecoveryCodes(user: User) {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode)
  const hashes = await Promise.all(codes.map((code) => hash.use('scrypt').make(normalizeRecoveryCode(code))))
  await db.transaction(async (trx) => {
    await UserRecoveryCode.forTenant(user.tenantId, { client: trx }).where('user_id', user.id).delete()
    await UserRecoveryCode.createMany(
      hashes.map((codeHash) => ({ tenantId: user.tenantId, userId: user.id, codeHash })),
      { client: trx }
    )
  })
  return codes
}

/** Recovery codes for a user who has none (first second factor); an empty list otherwise */
export async function ensureRecoveryCodes(user: User): Promise<string[]> {
  const existing = await UserRecoveryCode.forTenant(user.tenantId).where('user_id', user.id).first()
  return existing ? [] : replaceRecoveryCodes(user)
}

/** Ten new codes; the old ones stop working. Needs a second factor to be set up. */
export async function regenerateRecoveryCodes(user: User) {
  if (!(await isTwoFactorEnabled(user))) return null
  const codes = await replaceRecoveryCodes(user)
  await audit({ action: 'two_factor.recovery_codes_regenerated', subjectType: 'user', subjectId: user.id })
  return codes
}

/** Uses up a recovery code: true once per code (the used_at update is conditional) */
export async function useRecoveryCode(user: User, code: string): Promise<boolean> {
  const plain = normalizeRecoveryCode(code)
  if (plain.length !== 10) return false
  const candidates = await UserRecoveryCode.forTenant(user.tenantId).where('user_id', user.id).whereNull('used_at')
  for (const candidate of candidates) {
    if (!(await hash.use('scrypt').verify(candidate.codeHash, plain))) continue
    const updated = await db
      .from('user_recovery_codes')
      .where('id', candidate.id)
      .where('tenant_id', user.tenantId)
      .whereNull('used_at')
      .update({ used_at: now() })
    if (affected(updated) !== 1) return false
    await audit({
      action: 'two_factor.recovery_code_used',
      subjectType: 'user',
      subjectId: user.id,
      after: { remaining: candidates.length - 1 },
      actor: { type: 'user', id: user.id, label: user.email },
    })
    return true
  }
  return false
}

/* ------------------------------------------------------------------ admin reset */

/** Removes every second factor of a user (lost device); they sign in with the password alone again */
export async function resetTwoFactor(user: User) {
  const status = await twoFactorStatus(user)
  await db.transaction(async (trx) => {
    await UserTwoFactor.forTenant(user.tenantId, { client: trx }).where('user_id', user.id).delete()
    await UserRecoveryCode.forTenant(user.tenantId, { client: trx }).where('user_id', user.id).delete()
    await UserPasskey.forTenant(user.tenantId, { client: trx }).where('user_id', user.id).delete()
  })
  await audit({
    action: 'two_factor.reset',
    subjectType: 'user',
    subjectId: user.id,
    before: { totpEnabled: status.totpEnabled, passkeys: status.passkeys },
    after: { totpEnabled: false, passkeys: 0 },
  })
}

/* ------------------------------------------------------------------ tenant rule */

/** Role keys whose members must use a second factor */
export async function requiredRoles(tenantId: number): Promise<string[]> {
  const row = await TenantSecuritySetting.forTenant(tenantId).first()
  return row?.twoFactorRoles ?? []
}

export async function setRequiredRoles(tenant: Tenant, roles: string[]) {
  const next = ROLE_ORDER.filter((key) => roles.includes(key))
  const row =
    (await TenantSecuritySetting.forTenant(tenant.id).first()) ??
    new TenantSecuritySetting().merge({ tenantId: tenant.id, twoFactorRoles: [] })
  const before = [...row.twoFactorRoles]
  row.twoFactorRoles = [...next]
  await row.save()
  const changes = diff({ twoFactorRoles: before }, { twoFactorRoles: [...next] })
  if (Object.keys(changes.after).length) {
    await audit({ action: 'tenant.two_factor_roles_updated', subjectType: 'tenant', subjectId: tenant.id, ...changes })
  }
}

export async function roleRequiresTwoFactor(user: User) {
  const roles = await requiredRoles(user.tenantId)
  return roles.length > 0 && roles.includes(await roleKeyOf(user))
}

/** The user's role requires a second factor and they have none yet */
export async function mustEnrol(user: User) {
  return (await roleRequiresTwoFactor(user)) && !(await isTwoFactorEnabled(user))
}
