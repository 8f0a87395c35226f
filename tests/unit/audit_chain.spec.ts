import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import { GENESIS_HASH, canonical, entryHash, epochSeconds, findBreak, type ChainRow } from '#services/audit_chain'

function row(seq: number, prev: string, action = 'a.b'): ChainRow & { id: number; hash: string } {
  const base: ChainRow = {
    tenant_id: 7,
    chain_seq: seq,
    prev_hash: prev,
    actor_type: 'user',
    actor_id: 3,
    actor_label: 'ann@x.test',
    action,
    subject_type: 'user',
    subject_id: '3',
    before: null,
    after: '{"role":"admin"}',
    ip: '203.0.113.9',
    user_agent: 'test',
    created_at: '2026-01-02 03:04:05',
  }
  return { ...base, id: seq * 10, hash: entryHash(base) }
}

function chain(n: number) {
  const rows = []
  let prev = GENESIS_HASH
  for (let i = 1; i <= n; i++) {
    const r = row(i, prev)
    rows.push(r)
    prev = r.hash
  }
  return rows
}

test.group('Audit chain hashing', () => {
  test('the serialisation is the same whatever form the database returns values in', ({ assert }) => {
    const a = row(1, GENESIS_HASH)
    const fromPg = { ...a, tenant_id: '7', chain_seq: '1', actor_id: '3', created_at: DateTime.fromSQL('2026-01-02 03:04:05').toJSDate() }
    assert.equal(canonical(fromPg), canonical(a))
    assert.equal(epochSeconds(DateTime.fromSQL('2026-01-02 03:04:05.900')), epochSeconds('2026-01-02 03:04:05'))
  })

  test('every covered field changes the hash', ({ assert }) => {
    const a = row(1, GENESIS_HASH)
    for (const [key, value] of Object.entries({ action: 'x', ip: '::1', after: '{}', actor_id: 4, chain_seq: 2, prev_hash: 'f'.repeat(64) })) {
      assert.notEqual(entryHash({ ...a, [key]: value }), a.hash, key)
    }
  })

  test('an intact chain has no break; the head must match its last entry', async ({ assert }) => {
    const rows = chain(3)
    assert.isNull(await findBreak(rows, { seq: 0, hash: GENESIS_HASH }, { seq: 3, hash: rows[2].hash }))
    assert.equal((await findBreak(rows, { seq: 0, hash: GENESIS_HASH }, { seq: 4, hash: 'x' }))?.reason, 'head_mismatch')
  })

  test('names the first broken entry', async ({ assert }) => {
    const rows = chain(4)
    const edited = rows.map((r, i) => (i === 1 ? { ...r, action: 'forged' } : r))
    assert.deepEqual(await findBreak(edited, { seq: 0, hash: GENESIS_HASH }), { id: 20, seq: 2, reason: 'hash_mismatch' })
    const gap = rows.filter((_, i) => i !== 2)
    assert.deepEqual(await findBreak(gap, { seq: 0, hash: GENESIS_HASH }), { id: 40, seq: 4, reason: 'sequence_gap' })
    const swapped = [rows[0], rows[2], rows[1], rows[3]]
    assert.equal((await findBreak(swapped, { seq: 0, hash: GENESIS_HASH }))?.id, 30)
  })

  test('a pruned chain verifies from its anchor', async ({ assert }) => {
    const rows = chain(5)
    assert.isNull(await findBreak(rows.slice(2), { seq: 2, hash: rows[1].hash }, { seq: 5, hash: rows[4].hash }))
    assert.equal((await findBreak(rows.slice(2), { seq: 0, hash: GENESIS_HASH }))?.reason, 'sequence_gap')
  })
})
