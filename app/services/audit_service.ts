/*
| Records who did what, with before/after, in the audit log and announces it on the
| `audit.recorded` hook. The log is an append-only hash chain per tenant (plus one for platform
| entries): each entry is written under a lock on its chain's head row, so concurrent writers in
| one or several processes, on SQLite or PostgreSQL, never fork the chain.
*/
import { HttpContext } from '@adonisjs/core/http'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { DateTime } from 'luxon'
import AuditLog from '#models/audit_log'
import hooks from '#kernel/hooks'
import { tenantContext } from '#tenancy/tenant_context'
import { chainKeyOf, entryHash, type ChainRow } from '#services/audit_chain'

export interface AuditEntry {
  action: string
  subjectType?: string
  subjectId?: string | number | null
  before?: Record<string, unknown> | null
  after?: Record<string, unknown> | null
  /** the tenant in context when left out; null records a platform entry */
  tenantId?: number | null
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

/** A timestamp written the way Lucid writes it for the dialect, so date filters agree */
export function dbStamp(client: { dialect: { dateTimeFormat: string } }, moment: DateTime) {
  return moment.toFormat(client.dialect.dateTimeFormat)
}

/**
 * Takes the chain's head row for the rest of the transaction: the upsert is a write, so on
 * SQLite it takes the database write lock before anything is read (no deferred-transaction
 * upgrade deadlock); PostgreSQL then locks the row with FOR UPDATE.
 */
export async function lockChainHead(trx: TransactionClientContract, tenantId: number | null) {
  const key = chainKeyOf(tenantId)
  await trx
    .insertQuery()
    .table('audit_chain_heads')
    .insert({ chain_key: key, tenant_id: tenantId, updated_at: dbStamp(trx, DateTime.now()) })
    .knexQuery.onConflict('chain_key')
    .ignore()
  const query = trx.from('audit_chain_heads').where('chain_key', key)
  if (trx.dialect.name === 'postgres') query.forUpdate()
  const head = await query.firstOrFail()
  return {
    key,
    lastSeq: Number(head.last_seq),
    lastHash: head.last_hash as string,
    anchorSeq: Number(head.anchor_seq),
    anchorHash: head.anchor_hash as string,
  }
}

type NewEntry = Omit<ChainRow, 'chain_seq' | 'prev_hash' | 'created_at'>

/** Appends one entry to its chain and answers the stored row */
async function append(fields: NewEntry) {
  return db.transaction(async (trx) => {
    const tenantId = fields.tenant_id === null ? null : Number(fields.tenant_id)
    const head = await lockChainHead(trx, tenantId)
    const createdAt = DateTime.now().startOf('second')
    const chained: ChainRow = { ...fields, chain_seq: head.lastSeq + 1, prev_hash: head.lastHash, created_at: createdAt }
    const hash = entryHash(chained)
    const row = { ...chained, hash, created_at: dbStamp(trx, createdAt) }
    const [inserted] = await trx.insertQuery().table('audit_logs').insert(row).returning('id')
    const id = Number(typeof inserted === 'object' ? inserted.id : inserted)
    await trx
      .from('audit_chain_heads')
      .where('chain_key', head.key)
      .update({ last_seq: chained.chain_seq, last_hash: hash, updated_at: row.created_at })
    return { id, ...row }
  })
}

function currentActor(ctx: HttpContext | null | undefined): NonNullable<AuditEntry['actor']> {
  if (!ctx) return { type: 'system', id: null, label: null }
  /* The middleware authenticate through a named guard, so `auth.user` (set only by
     auth.authenticate()) stays empty: ask the guards themselves */
  const auth = (ctx as any).auth
  const user = auth ? (auth.use('api').user ?? auth.use('web').user) : undefined
  const token = user?.currentAccessToken
  return user ? { type: token ? 'token' : 'user', id: user.id, label: user.email } : { type: 'system', id: null, label: null }
}

export async function audit(entry: AuditEntry) {
  const ctx = HttpContext.get()
  const tenantId = entry.tenantId === undefined ? (tenantContext.tenantId() ?? undefined) : entry.tenantId
  if (tenantId === undefined) throw new Error(`audit "${entry.action}" needs a tenant`)
  const actor = entry.actor ?? currentActor(ctx)
  const json = (value: Record<string, unknown> | null | undefined) => {
    const redacted = redact(value)
    return redacted === null ? null : JSON.stringify(redacted)
  }
  const row = await append({
    tenant_id: tenantId ?? null,
    actor_type: actor.type,
    actor_id: actor.id ?? null,
    actor_label: actor.label ?? null,
    action: entry.action,
    subject_type: entry.subjectType ?? null,
    subject_id: entry.subjectId === undefined || entry.subjectId === null ? null : String(entry.subjectId),
    before: json(entry.before),
    after: json(entry.after),
    ip: ctx?.request.ip() ?? null,
    user_agent: ctx?.request.header('user-agent')?.slice(0, 300) ?? null,
  })
  const log = AuditLog.$createFromAdapterResult(row)!
  if (tenantId !== null) {
    await hooks.doAction(
      'audit.recorded',
      { id: log.id, tenantId, action: log.action, subjectType: log.subjectType, subjectId: log.subjectId },
      { tenantId }
    )
  }
  return log
}
