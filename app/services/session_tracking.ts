/*
| Tracked sessions: every signed-in browser session of a staff user has a row (device, IP,
| created, last seen), found by the SHA-256 of a random key kept in the session data. The key,
| not the session id, identifies the row because the id changes whenever the session is
| regenerated and, with the cookie store, is no server-side handle at all.
|
| `recordLogin` runs right after a successful login; the tracked-session middleware checks the
| row on every request (revoked, idle or past its absolute lifetime → signed out) and touches
| last_seen_at at most once a minute. The check reads the database, so a revocation made by one
| web process ends the session on its next request to any other.
*/
import { createHash, randomBytes } from 'node:crypto'
import { DateTime } from 'luxon'
import type { HttpContext } from '@adonisjs/core/http'
import db from '@adonisjs/lucid/services/db'
import type User from '#models/user'
import TrackedSession, { type RevokedReason } from '#models/tracked_session'
import { accountPolicyOf, type AccountPolicy } from '#services/session_tracking_policy'
import { audit } from '#services/audit_service'
import { NotFoundError } from '#exceptions/domain_errors'

/** Session data key holding this session's tracking key */
export const SESSION_KEY = 'tracked_session'
export const TOUCH_INTERVAL_SECONDS = 60
/* Ended or abandoned rows are kept this long, then removed at the user's next login */
const KEEP_ENDED_DAYS = 30

/** A timestamp as Lucid writes it for the dialect (SQLite compares them as text) */
function stamp(moment: DateTime) {
  return moment.toUTC().toFormat(db.connection().dialect.dateTimeFormat)
}

export function hashKey(key: string) {
  return createHash('sha256').update(key).digest('hex')
}

/*
| A short readable label ("Firefox · Windows") from the User-Agent; empty when nothing is
| recognised (the page then says "Unknown device"). Order matters: Edge and Opera also name
| Chrome, Chrome also names Safari.
*/
const BROWSERS: Array<[RegExp, string]> = [
  [/\bEdg(?:e|A|iOS)?\//, 'Edge'],
  [/\bOPR\/|\bOpera\b/, 'Opera'],
  [/\bSamsungBrowser\//, 'Samsung Internet'],
  [/\bFirefox\/|\bFxiOS\//, 'Firefox'],
  [/\bHeadlessChrome\//, 'Chrome (headless)'],
  [/\bChrome\/|\bCriOS\/|\bChromium\//, 'Chrome'],
  [/\bVersion\/[\d.]+.*\bSafari\//, 'Safari'],
  [/\bcurl\//, 'curl'],
]
const SYSTEMS: Array<[RegExp, string]> = [
  [/\biPhone\b/, 'iPhone'],
  [/\biPad\b/, 'iPad'],
  [/\bAndroid\b/, 'Android'],
  [/\bCrOS\b/, 'ChromeOS'],
  [/\bWindows\b/, 'Windows'],
  [/\bMac OS X\b|\bMacintosh\b/, 'macOS'],
  [/\bLinux\b/, 'Linux'],
]

export function describeDevice(userAgent: string | null | undefined) {
  if (!userAgent) return ''
  const browser = BROWSERS.find(([pattern]) => pattern.test(userAgent))?.[1]
  const system = SYSTEMS.find(([pattern]) => pattern.test(userAgent))?.[1]
  return [browser, system].filter(Boolean).join(' · ')
}

function clientOf(ctx: HttpContext) {
  const userAgent = ctx.request.header('user-agent')?.slice(0, 512) ?? null
  return { userAgent, deviceLabel: describeDevice(userAgent), ipAddress: ctx.request.ip()?.slice(0, 45) ?? null }
}

/**
 * Starts tracking the session just signed in: a new row and a new key in the session. A key
 * left from an earlier sign-in in the same browser ends that row.
 */
export async function recordLogin(ctx: HttpContext, user: User) {
  const previous = ctx.session.get(SESSION_KEY)
  if (typeof previous === 'string') await endByKey(user.tenantId, previous, 'signed_out')
  const key = randomBytes(32).toString('base64url')
  const now = DateTime.utc()
  const row = await TrackedSession.create({
    tenantId: user.tenantId,
    userId: user.id,
    keyHash: hashKey(key),
    ...clientOf(ctx),
    createdAt: now,
    lastSeenAt: now,
  })
  ctx.session.put(SESSION_KEY, key)
  const cutoff = stamp(now.minus({ days: KEEP_ENDED_DAYS }))
  /* ended a month ago, or abandoned (browser closed) that long: past every possible timeout */
  await TrackedSession.forTenant(user.tenantId)
    .where('user_id', user.id)
    .where((query) => query.where('revoked_at', '<', cutoff).orWhere('last_seen_at', '<', cutoff))
    .delete()
  return row
}

async function endByKey(tenantId: number, key: string, reason: RevokedReason) {
  await TrackedSession.forTenant(tenantId)
    .where('key_hash', hashKey(key))
    .whereNull('revoked_at')
    .update({ revoked_at: stamp(DateTime.utc()), revoked_reason: reason })
}

/** Why a live row must end now, or null while it may go on */
export function expiryOf(row: TrackedSession, policy: AccountPolicy, now = DateTime.utc()): RevokedReason | null {
  if (now.diff(row.createdAt, 'minutes').minutes >= policy.absoluteTimeoutMinutes) return 'absolute_timeout'
  if (now.diff(row.lastSeenAt, 'minutes').minutes >= policy.idleTimeoutMinutes) return 'idle_timeout'
  return null
}

export type SessionCheck =
  | { state: 'active'; session: TrackedSession }
  | { state: 'ended'; reason: RevokedReason }

/**
 * The tracked-session check for one request of a signed-in user: the row of this session,
 * created for a session that was signed in without one (signed in before tracking existed, or
 * by a path that does not call recordLogin), ended when revoked or timed out.
 */
export async function checkRequest(ctx: HttpContext, user: User): Promise<SessionCheck> {
  const key = ctx.session.get(SESSION_KEY)
  if (typeof key !== 'string') return { state: 'active', session: await recordLogin(ctx, user) }
  const row = await TrackedSession.forTenant(user.tenantId).where('key_hash', hashKey(key)).first()
  if (!row || row.userId !== user.id) return { state: 'ended', reason: 'revoked' }
  if (row.revokedAt) return { state: 'ended', reason: row.revokedReason ?? 'revoked' }
  const now = DateTime.utc()
  const expired = expiryOf(row, await accountPolicyOf(user.tenantId), now)
  if (expired) {
    await endByKey(user.tenantId, key, expired)
    return { state: 'ended', reason: expired }
  }
  if (now.diff(row.lastSeenAt, 'seconds').seconds >= TOUCH_INTERVAL_SECONDS) {
    const { ipAddress } = clientOf(ctx)
    /* conditional, so parallel requests of one session write once */
    await TrackedSession.forTenant(user.tenantId)
      .where('id', row.id)
      .where('last_seen_at', '<', stamp(now.minus({ seconds: TOUCH_INTERVAL_SECONDS })))
      .update({ last_seen_at: stamp(now), ip_address: ipAddress })
    row.lastSeenAt = now
    row.ipAddress = ipAddress
  }
  return { state: 'active', session: row }
}

/** Ends the tracking of a session that signed out (its key is still in the session data) */
export async function endSignedOut(ctx: HttpContext, tenantId: number) {
  const key = ctx.session.get(SESSION_KEY)
  ctx.session.forget(SESSION_KEY)
  if (typeof key === 'string') await endByKey(tenantId, key, 'signed_out')
}

/** The current session's row id, when the request has one */
export function currentKeyHash(ctx: HttpContext) {
  const key = ctx.session?.get(SESSION_KEY)
  return typeof key === 'string' ? hashKey(key) : null
}

/** A user's live sessions, most recently used first (timed-out rows are left out) */
export async function activeSessions(user: User) {
  const policy = await accountPolicyOf(user.tenantId)
  const now = DateTime.utc()
  const rows = await TrackedSession.forTenant(user.tenantId)
    .where('user_id', user.id)
    .whereNull('revoked_at')
    .where('last_seen_at', '>', stamp(now.minus({ minutes: policy.idleTimeoutMinutes })))
    .where('created_at', '>', stamp(now.minus({ minutes: policy.absoluteTimeoutMinutes })))
    .orderBy('last_seen_at', 'desc')
    .orderBy('id', 'desc')
  return rows
}

function revokeQuery(user: User) {
  return TrackedSession.forTenant(user.tenantId).where('user_id', user.id).whereNull('revoked_at')
}

async function revokeWhere(user: User, reason: RevokedReason, except: number | null, only: number | null) {
  const query = revokeQuery(user)
  if (except !== null) query.whereNot('id', except)
  if (only !== null) query.where('id', only)
  const ended = await query.update({ revoked_at: stamp(DateTime.utc()), revoked_reason: reason })
  return Number(Array.isArray(ended) ? ended[0] : ended) || 0
}

/** Revokes one of the user's own sessions; another user's or tenant's id is not found */
export async function revokeSession(user: User, id: number) {
  const row = await TrackedSession.forTenant(user.tenantId).where('user_id', user.id).where('id', id).first()
  if (!row) throw new NotFoundError()
  if (row.revokedAt) return 0
  const count = await revokeWhere(user, 'revoked', null, row.id)
  await audit({
    action: 'session.revoked',
    subjectType: 'user',
    subjectId: user.id,
    after: { session: row.id, device: row.deviceLabel, ip: row.ipAddress },
  })
  return count
}

/** Revokes every session of the user except `keep` (the current one), e.g. after a password change */
export async function revokeOtherSessions(user: User, keep: number | null, reason: RevokedReason = 'revoked_all') {
  const count = await revokeWhere(user, reason, keep, null)
  if (count) {
    await audit({ action: 'session.revoked_others', subjectType: 'user', subjectId: user.id, after: { count, reason } })
  }
  return count
}

/** Revokes every session of the user (an administrator's action, or a password reset) */
export async function revokeAllSessions(user: User, reason: RevokedReason) {
  const count = await revokeWhere(user, reason, null, null)
  if (!count && reason !== 'admin') return count
  await audit({
    action: 'session.revoked_all',
    subjectType: 'user',
    subjectId: user.id,
    after: { email: user.email, count, reason },
  })
  return count
}
