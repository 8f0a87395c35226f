/*
| Keeping the audit chain honest over time: verification walks each chain from its anchor, and
| retention pruning removes a tenant's oldest entries under a prune permit (the only DELETE the
| triggers let through), leaving the hash of the last removed entry as the chain's new anchor.
*/
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import { GENESIS_HASH, chainKeyOf, findBreak, type ChainBreak, type ChainRow } from '#services/audit_chain'
import { audit, dbStamp, lockChainHead } from '#services/audit_service'
import { retentionDaysOf } from '#services/admin_policy_service'

const PAGE = 1000

type StoredRow = ChainRow & { id: number; hash: string }

function ofChain<Q extends { where: any; whereNull: any }>(query: Q, tenantId: number | null): Q {
  return tenantId === null ? query.whereNull('tenant_id') : query.where('tenant_id', tenantId)
}

/** The chain's rows in id order, a page at a time so a long log never sits in memory */
async function* chainRows(tenantId: number | null): AsyncGenerator<StoredRow> {
  let after = 0
  for (;;) {
    const rows: StoredRow[] = await ofChain(db.from('audit_logs'), tenantId).where('id', '>', after).orderBy('id', 'asc').limit(PAGE)
    yield* rows
    if (rows.length < PAGE) return
    after = Number(rows[rows.length - 1].id)
  }
}

export interface ChainReport {
  tenantId: number | null
  entries: number
  broken: ChainBreak | null
}

export async function verifyChain(tenantId: number | null): Promise<ChainReport> {
  const head = await db.from('audit_chain_heads').where('chain_key', chainKeyOf(tenantId)).first()
  const anchor = { seq: Number(head?.anchor_seq ?? 0), hash: head?.anchor_hash ?? GENESIS_HASH }
  let entries = 0
  const counted = (async function* () {
    for await (const row of chainRows(tenantId)) {
      entries++
      yield row
    }
  })()
  const broken = await findBreak(counted, anchor, { seq: Number(head?.last_seq ?? 0), hash: head?.last_hash ?? null })
  return { tenantId, entries, broken }
}

/** Every chain that has a head or rows: tenants in id order, then the platform chain */
export async function chainTenants(): Promise<Array<number | null>> {
  const fromHeads = await db.from('audit_chain_heads').select('tenant_id')
  const fromRows = await db.from('audit_logs').distinct('tenant_id')
  const ids = new Set<number | null>()
  for (const row of [...fromHeads, ...fromRows]) ids.add(row.tenant_id === null ? null : Number(row.tenant_id))
  const tenants = [...ids].filter((id): id is number => id !== null).sort((a, b) => a - b)
  return ids.has(null) ? [...tenants, null] : tenants
}

/**
 * Removes the tenant's entries older than its retention period. The removal and the new anchor
 * are one transaction on the locked chain head; the pruning itself is then audited.
 */
export async function pruneAuditLog(tenantId: number, now = DateTime.now()) {
  const days = await retentionDaysOf(tenantId)
  const cutoff = now.minus({ days })
  const result = await db.transaction(async (trx) => {
    await lockChainHead(trx, tenantId)
    const last = await trx
      .from('audit_logs')
      .where('tenant_id', tenantId)
      .where('created_at', '<', dbStamp(trx, cutoff))
      .orderBy('chain_seq', 'desc')
      .first()
    if (!last) return null
    const upToSeq = Number(last.chain_seq)
    await trx.insertQuery().table('audit_prune_permits').insert({ tenant_id: tenantId, up_to_seq: upToSeq })
    const removed = await trx.from('audit_logs').where('tenant_id', tenantId).where('chain_seq', '<=', upToSeq).delete()
    await trx.from('audit_prune_permits').where('tenant_id', tenantId).delete()
    await trx
      .from('audit_chain_heads')
      .where('chain_key', chainKeyOf(tenantId))
      .update({ anchor_seq: upToSeq, anchor_hash: last.hash })
    return { removed: Number(Array.isArray(removed) ? removed[0] : removed), upToSeq, anchorHash: last.hash as string }
  })
  if (!result) return { removed: 0 }
  await audit({
    action: 'audit.pruned',
    tenantId,
    subjectType: 'audit_log',
    actor: { type: 'system', id: null, label: 'retention' },
    after: { removed: result.removed, retentionDays: days, throughSeq: result.upToSeq, anchor: result.anchorHash },
  })
  return result
}
