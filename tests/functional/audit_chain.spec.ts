import { test } from '@japa/runner'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { setTimeout as sleep } from 'node:timers/promises'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import { makeTenant } from '#tests/helpers/tenants'
import { audit } from '#services/audit_service'
import { pruneAuditLog, verifyChain } from '#services/audit_integrity_service'
import { updateAdminPolicy } from '#services/admin_policy_service'

const run = promisify(execFile)

async function cli(args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['ace', 'audit:verify', '--no-ansi', ...args], {
      cwd: app.makePath(),
      env: { ...process.env },
      timeout: 60_000,
    })
    return { code: 0, out: stdout + stderr }
  } catch (error: any) {
    return { code: error.code as number, out: String(error.stdout) + String(error.stderr) }
  }
}

const isPg = () => db.connection().dialect.name === 'postgres'

/**
 * Tampering as someone with database access would: with the append-only triggers out of the way
 * for the duration of `fn` (dropped and re-created on SQLite, disabled on PostgreSQL).
 */
async function withoutGuards(fn: () => Promise<unknown>) {
  if (isPg()) {
    await db.rawQuery('ALTER TABLE audit_logs DISABLE TRIGGER audit_logs_append_only')
    try {
      await fn()
    } finally {
      await db.rawQuery('ALTER TABLE audit_logs ENABLE TRIGGER audit_logs_append_only')
    }
    return
  }
  const triggers: Array<{ name: string; sql: string }> = await db
    .from('sqlite_master')
    .where('type', 'trigger')
    .where('tbl_name', 'audit_logs')
    .select('name', 'sql')
  for (const t of triggers) await db.rawQuery(`DROP TRIGGER ${t.name}`)
  try {
    await fn()
  } finally {
    for (const t of triggers) await db.rawQuery(t.sql)
  }
}

async function chainOf(tenantId: number) {
  return db.from('audit_logs').where('tenant_id', tenantId).orderBy('id', 'asc')
}

async function tenantWithEntries(count = 4) {
  const t = await makeTenant()
  await t.run(async () => {
    for (let i = 0; i < count; i++) {
      await audit({ action: 'test.entry', subjectType: 'thing', subjectId: i, after: { n: i, note: `entry ${i}` } })
    }
  })
  return t
}

test.group('Audit chain', () => {
  test('every entry is chained to the one before it, per tenant', async ({ assert }) => {
    const t = await tenantWithEntries(3)
    const rows = await chainOf(t.tenant.id)
    assert.isAtLeast(rows.length, 3)
    rows.forEach((row: any, i: number) => {
      assert.equal(Number(row.chain_seq), i + 1)
      assert.match(row.hash, /^[0-9a-f]{64}$/)
      if (i > 0) assert.equal(row.prev_hash, rows[i - 1].hash)
    })
    assert.equal(rows[0].prev_hash, '0'.repeat(64))
    const report = await verifyChain(t.tenant.id)
    assert.isNull(report.broken)
    assert.equal(report.entries, rows.length)
  })

  test('the database refuses UPDATE and DELETE on audit entries', async ({ assert }) => {
    const t = await tenantWithEntries(1)
    const [row] = await chainOf(t.tenant.id)
    await assert.rejects(() => db.from('audit_logs').where('id', row.id).update({ action: 'forged' }), /append-only/)
    await assert.rejects(() => db.from('audit_logs').where('id', row.id).delete(), /append-only/)
    assert.equal((await db.from('audit_logs').where('id', row.id).first()).action, row.action)
  })

  test('verification finds an edited entry', async ({ assert }) => {
    const t = await tenantWithEntries()
    const rows = await chainOf(t.tenant.id)
    const victim = rows[2]
    await withoutGuards(() =>
      db.from('audit_logs').where('id', victim.id).update({ after: JSON.stringify({ n: 99, note: 'rewritten' }) })
    )
    const report = await verifyChain(t.tenant.id)
    assert.deepEqual(report.broken, { id: Number(victim.id), seq: Number(victim.chain_seq), reason: 'hash_mismatch' })

    const result = await cli([`--tenant=${t.tenant.slug}`])
    assert.equal(result.code, 1, result.out)
    assert.include(result.out, `audit entry id ${victim.id}`)
    assert.include(result.out, 'hash mismatch')
  })

  test('verification finds a deleted entry, and the removal of the newest one', async ({ assert }) => {
    const t = await tenantWithEntries()
    const rows = await chainOf(t.tenant.id)
    await withoutGuards(() => db.from('audit_logs').where('id', rows[1].id).delete())
    const report = await verifyChain(t.tenant.id)
    assert.equal(report.broken?.id, Number(rows[2].id))
    assert.equal(report.broken?.reason, 'sequence_gap')

    const u = await tenantWithEntries()
    const urows = await chainOf(u.tenant.id)
    await withoutGuards(() => db.from('audit_logs').where('id', urows[urows.length - 1].id).delete())
    assert.equal((await verifyChain(u.tenant.id)).broken?.reason, 'head_mismatch')
  })

  test('verification finds re-ordered entries', async ({ assert }) => {
    const t = await tenantWithEntries()
    const rows = await chainOf(t.tenant.id)
    const [a, b] = [rows[1], rows[2]]
    /* Swap the two rows' places in the log */
    await withoutGuards(async () => {
      await db.from('audit_logs').where('id', a.id).update({ id: 999_999_001 })
      await db.from('audit_logs').where('id', b.id).update({ id: a.id })
      await db.from('audit_logs').where('id', 999_999_001).update({ id: b.id })
    })
    const report = await verifyChain(t.tenant.id)
    assert.equal(report.broken?.id, Number(a.id))
    assert.equal(report.broken?.reason, 'sequence_gap')
  })

  test('a forged entry with a recomputed hash still breaks the link to the next entry', async ({ assert }) => {
    const t = await tenantWithEntries()
    const rows = await chainOf(t.tenant.id)
    const { entryHash } = await import('#services/audit_chain')
    const victim = { ...rows[1], action: 'forged.action' }
    await withoutGuards(() => db.from('audit_logs').where('id', victim.id).update({ action: victim.action, hash: entryHash(victim) }))
    const report = await verifyChain(t.tenant.id)
    assert.equal(report.broken?.id, Number(rows[2].id))
    assert.equal(report.broken?.reason, 'previous_hash_mismatch')
  })

  test('concurrent writers keep one valid chain per tenant and for the platform', async ({ assert }) => {
    const a = await makeTenant()
    const b = await makeTenant()
    const writes: Promise<unknown>[] = []
    for (let i = 0; i < 25; i++) {
      writes.push(audit({ action: 'test.concurrent', tenantId: a.tenant.id, after: { i } }))
      writes.push(audit({ action: 'test.concurrent', tenantId: b.tenant.id, after: { i } }))
      writes.push(audit({ action: 'test.concurrent', tenantId: null, after: { i }, actor: { type: 'system' } }))
    }
    await Promise.all(writes)
    for (const tenantId of [a.tenant.id, b.tenant.id, null]) {
      const report = await verifyChain(tenantId)
      assert.isNull(report.broken, `chain ${tenantId}`)
    }
    const seqs = (await chainOf(a.tenant.id)).map((r: any) => Number(r.chain_seq))
    assert.deepEqual(seqs, seqs.map((_: number, i: number) => i + 1))
    assert.isAtLeast(seqs.length, 25)
  })

  test('writers in several processes keep one valid chain', async ({ assert }) => {
    const t = await makeTenant()
    const staff = await t.user('staff')
    /* four `token:create` processes audit into this tenant's chain while this process keeps writing too */
    const children = [1, 2, 3, 4].map((n) =>
      run(
        process.execPath,
        ['ace', 'token:create', '--no-ansi', '--tenant', t.tenant.slug, '--email', staff.email, '--name', `p${n}`, '--scopes', 'kernel.users.view'],
        { cwd: app.makePath(), env: { ...process.env }, timeout: 60_000, killSignal: 'SIGKILL' }
      )
    )
    let done = false
    const all = Promise.all(children).finally(() => (done = true))
    let written = 0
    /* bounded, so a child that hangs cannot turn this into an endless writer */
    while (!done && written < 3000) {
      await audit({ action: 'test.parallel', tenantId: t.tenant.id, after: { n: written++ } })
      /* better-sqlite3 answers synchronously: let the child processes' events in between */
      await sleep(5)
    }
    await all
    const rows = await chainOf(t.tenant.id)
    assert.lengthOf(rows.filter((r: any) => r.action === 'token.created'), 4)
    assert.equal(rows.filter((r: any) => r.action === 'test.parallel').length, written)
    assert.isNull((await verifyChain(t.tenant.id)).broken)
  })

  test('retention pruning removes old entries and leaves a verifiable chain', async ({ assert }) => {
    const t = await tenantWithEntries(5)
    await updateAdminPolicy(t.tenant.id, { auditRetentionDays: 30, apiRateLimitPerToken: null, apiRateLimitPerIp: null })
    const before = await chainOf(t.tenant.id)
    const result = await pruneAuditLog(t.tenant.id, DateTime.now().plus({ days: 31 }))
    assert.equal(result.removed, before.length)
    const after = await chainOf(t.tenant.id)
    assert.lengthOf(after, 1)
    assert.equal(after[0].action, 'audit.pruned')
    assert.equal(after[0].prev_hash, before[before.length - 1].hash)
    const head = await db.from('audit_chain_heads').where('tenant_id', t.tenant.id).first()
    assert.equal(head.anchor_hash, before[before.length - 1].hash)
    assert.isNull((await verifyChain(t.tenant.id)).broken)
    /* Entries inside the retention period stay; a plain DELETE is still refused */
    assert.equal((await pruneAuditLog(t.tenant.id)).removed, 0)
    await assert.rejects(() => db.from('audit_logs').where('id', after[0].id).delete(), /append-only/)
  })

  test('the daily retention job prunes through the job queue', async ({ assert }) => {
    const { default: jobs } = await import('#services/jobs')
    const { PRUNE_AUDIT_JOB } = await import('#jobs/audit_retention')
    assert.equal(jobs.registry.get(PRUNE_AUDIT_JOB)?.schedule, '23 3 * * *')
    const t = await tenantWithEntries(3)
    /* a zero-day policy (the form allows 7 and up) makes every entry of an earlier second old */
    await updateAdminPolicy(t.tenant.id, { auditRetentionDays: 0, apiRateLimitPerToken: null, apiRateLimitPerIp: null })
    await sleep(1100)
    await jobs.dispatch(PRUNE_AUDIT_JOB, { tenantId: t.tenant.id })
    await jobs.drain()
    const rows = await chainOf(t.tenant.id)
    assert.deepEqual(rows.map((r: any) => r.action), ['audit.pruned'])
    assert.isNull((await verifyChain(t.tenant.id)).broken)
  })

  test('audit:verify reports intact chains and exits 0', async ({ assert }) => {
    const t = await tenantWithEntries(2)
    const result = await cli([`--tenant=${t.tenant.slug}`])
    assert.equal(result.code, 0, result.out)
    assert.include(result.out, 'chain intact')
    const unknown = await cli(['--tenant=no-such-tenant'])
    assert.equal(unknown.code, 1)
  })
})
