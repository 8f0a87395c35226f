/*
| Records who did what, with before/after, in the tenant's audit log and announces it on the
| `audit.recorded` hook.
*/
import { HttpContext } from '@adonisjs/core/http'
import AuditLog from '#models/audit_log'
import hooks from '#kernel/hooks'
import { tenantContext } from '#tenancy/tenant_context'

export interface AuditEntry {
  action: string
  subjectType?: string
  subjectId?: string | number | null
  before?: Record<string, unknown> | null
  after?: Record<string, unknown> | null
  tenantId?: number
  actor?: { type: AuditLog['actorType']; id?: number | null; label?: string | null }
}

const SECRET_KEYS = /password|secret|token|hash|key$/i

function redact(value: Record<string, unknown> | null | undefined) {
  if (!value) return null
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEYS.test(k) ? '[redacted]' : v
  return out
}

/** Keeps only the keys that changed, so entries stay readable */
export function diff(before: Record<string, unknown>, after: Record<string, unknown>) {
  const b: Record<string, unknown> = {}
  const a: Record<string, unknown> = {}
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
      b[key] = before[key]
      a[key] = after[key]
    }
  }
  return { before: b, after: a }
}

export async function audit(entry: AuditEntry) {
  const ctx = HttpContext.get()
  const tenantId = entry.tenantId ?? tenantContext.tenantId()
  if (!tenantId) throw new Error(`audit "${entry.action}" needs a tenant`)
  let actor = entry.actor
  if (!actor && ctx) {
    /* The middleware authenticate through a named guard, so `auth.user` (set only by
       auth.authenticate()) stays empty: ask the guards themselves */
    const auth = (ctx as any).auth
    const user = auth ? (auth.use('api').user ?? auth.use('web').user) : undefined
    const token = user?.currentAccessToken
    actor = user
      ? { type: token ? 'token' : 'user', id: user.id, label: user.email }
      : { type: 'system', id: null, label: null }
  }
  actor ??= { type: 'system', id: null, label: null }
  const log = await AuditLog.create({
    tenantId,
    actorType: actor.type,
    actorId: actor.id ?? null,
    actorLabel: actor.label ?? null,
    action: entry.action,
    subjectType: entry.subjectType ?? null,
    subjectId: entry.subjectId === undefined || entry.subjectId === null ? null : String(entry.subjectId),
    before: redact(entry.before),
    after: redact(entry.after),
    ip: ctx?.request.ip() ?? null,
    userAgent: ctx?.request.header('user-agent')?.slice(0, 300) ?? null,
  })
  await hooks.doAction(
    'audit.recorded',
    {
      id: log.id,
      tenantId,
      action: log.action,
      subjectType: log.subjectType,
      subjectId: log.subjectId,
    },
    { tenantId }
  )
  return log
}
