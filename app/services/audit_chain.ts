/*
| The audit log's hash chain: one chain per tenant plus one for platform entries (tenant_id
| null). Each entry's hash covers a canonical serialisation of its content, its place in the
| chain and the previous entry's hash, so an edited, deleted or re-ordered row breaks the chain.
| Shared by the writer (audit_service), the verifier (audit:verify) and the backfill migration.
*/
import { createHash } from 'node:crypto'
import { DateTime } from 'luxon'

/** Hash the first entry of a chain links to (nothing pruned yet) */
export const GENESIS_HASH = '0'.repeat(64)

export const PLATFORM_CHAIN = 'platform'

export function chainKeyOf(tenantId: number | null) {
  return tenantId === null ? PLATFORM_CHAIN : `tenant:${tenantId}`
}

/** The columns a hash covers, as they come back from the database */
export interface ChainRow {
  tenant_id: number | string | null
  chain_seq: number | string
  prev_hash: string
  actor_type: string
  actor_id: number | string | null
  actor_label: string | null
  action: string
  subject_type: string | null
  subject_id: string | null
  before: string | null
  after: string | null
  ip: string | null
  user_agent: string | null
  created_at: string | Date | DateTime
}

/*
| Timestamps are hashed as whole epoch seconds: SQLite keeps the text Lucid writes (local time,
| no zone, no fraction), PostgreSQL a timestamptz the driver returns as a Date.
*/
export function epochSeconds(value: string | Date | DateTime) {
  if (value instanceof DateTime) return Math.floor(value.toSeconds())
  if (value instanceof Date) return Math.floor(value.getTime() / 1000)
  const parsed = DateTime.fromSQL(value)
  return Math.floor((parsed.isValid ? parsed : DateTime.fromISO(value)).toSeconds())
}

const nullableNumber = (value: number | string | null) => (value === null ? null : Number(value))

/** A JSON array in a fixed field order: no key-order or whitespace ambiguity */
export function canonical(row: ChainRow) {
  return JSON.stringify([
    'v1',
    nullableNumber(row.tenant_id),
    Number(row.chain_seq),
    row.prev_hash,
    row.actor_type,
    nullableNumber(row.actor_id),
    row.actor_label,
    row.action,
    row.subject_type,
    row.subject_id,
    row.before,
    row.after,
    row.ip,
    row.user_agent,
    epochSeconds(row.created_at),
  ])
}

export function entryHash(row: ChainRow) {
  return createHash('sha256').update(canonical(row)).digest('hex')
}

/** Where a chain's verification starts: after the last pruned entry, or at the beginning */
export interface ChainAnchor {
  seq: number
  hash: string
}

export interface ChainBreak {
  id: number
  seq: number
  reason: 'hash_mismatch' | 'previous_hash_mismatch' | 'sequence_gap' | 'head_mismatch'
}

/**
 * Walks one chain's rows in id order from its anchor; answers the first broken entry or null.
 * `head` (the chain-heads row) catches the removal of the newest entries, which leaves no gap.
 */
export async function findBreak(
  rows: Iterable<ChainRow & { id: number | string; hash: string }> | AsyncIterable<ChainRow & { id: number | string; hash: string }>,
  anchor: ChainAnchor,
  head?: { seq: number; hash: string | null }
): Promise<ChainBreak | null> {
  let seq = anchor.seq
  let previous = anchor.hash
  let lastId = 0
  for await (const row of rows) {
    const id = Number(row.id)
    const rowSeq = Number(row.chain_seq)
    lastId = id
    if (rowSeq !== seq + 1) return { id, seq: rowSeq, reason: 'sequence_gap' }
    if (row.prev_hash !== previous) return { id, seq: rowSeq, reason: 'previous_hash_mismatch' }
    if (entryHash(row) !== row.hash) return { id, seq: rowSeq, reason: 'hash_mismatch' }
    seq = rowSeq
    previous = row.hash
  }
  if (head && (head.seq !== seq || (head.seq > anchor.seq && head.hash !== previous))) {
    return { id: lastId, seq, reason: 'head_mismatch' }
  }
  return null
}
