import { test } from '@japa/runner'
import { randomBytes, randomInt } from 'node:crypto'
import { readFile, rm, writeFile } from 'node:fs/promises'
import { setImmediate as yieldToLoop } from 'node:timers/promises'
import app from '@adonisjs/core/services/app'
import ace from '@adonisjs/core/services/ace'
import db from '@adonisjs/lucid/services/db'
import drive from '@adonisjs/drive/services/main'
import { Disk } from '@adonisjs/drive'
import { FSDriver } from '@adonisjs/drive/drivers/fs'
import { DateTime } from 'luxon'
import Backup from '#models/backup'
import { BackupIntegrityError, BackupKeyError } from '#services/backup_crypto'
import { backupDisk, nonEmptyTables, pruneBackups, restoreBackup, RestoreRefusedError, runBackup } from '#services/backup_service'
import { makeTenant } from '#tests/helpers/tenants'

const DRILL_TABLE = 'backup_drill_entries'
const isPg = () => db.connection().dialect.name === 'postgres'

/*
| A restore target: a new SQLite file, or on PostgreSQL a new database holding the same schema
| name as the suite's; dropped afterwards.
*/
async function emptyTarget() {
  const name = `restore_${process.pid}_${randomBytes(3).toString('hex')}`
  const primary = db.manager.get(db.primaryConnectionName)!.config as any
  if (isPg()) {
    await db.rawQuery(`create database ${name}`)
    db.manager.add(name, { ...primary, connection: { ...primary.connection, database: name } })
  } else {
    db.manager.add(name, { ...primary, connection: { filename: app.makePath(`tmp/${name}.sqlite3`) } })
  }
  const filesDir = app.makePath(`tmp/${name}-files`)
  const filesDisk = new Disk(new FSDriver({ location: filesDir, visibility: 'private' }))
  return {
    name,
    filesDisk,
    async drop() {
      await db.manager.release(name)
      if (isPg()) await db.rawQuery(`drop database if exists ${name} with (force)`)
      else for (const suffix of ['', '-wal', '-shm']) await rm(app.makePath(`tmp/${name}.sqlite3${suffix}`), { force: true })
      await rm(filesDir, { recursive: true, force: true })
    },
  }
}

async function drillTotals(client: ReturnType<typeof db.connection>, maxIds?: Map<number, number>) {
  const query = client.from(DRILL_TABLE).select('tenant_id').count('* as rows').sum('amount_minor as money').max('id as max_id').groupBy('tenant_id')
  if (maxIds) {
    query.where((q) => {
      for (const [tenantId, maxId] of maxIds) q.orWhere((w) => w.where('tenant_id', tenantId).where('id', '<=', maxId))
    })
  }
  const rows = await query
  return new Map(rows.map((r: any) => [Number(r.tenant_id), { rows: Number(r.rows), money: String(r.money), maxId: Number(r.max_id) }]))
}

test.group('Backups: restore drill', (group) => {
  group.setup(async () => {
    await db.connection().schema.createTable(DRILL_TABLE, (table) => {
      table.increments('id')
      table.integer('tenant_id').unsigned().notNullable().references('tenants.id').onDelete('CASCADE').index()
      table.bigInteger('amount_minor').notNullable()
      table.integer('total_cents').notNullable()
      table.string('note', 100).notNullable()
    })
    return async () => {
      await db.connection().schema.dropTableIfExists(DRILL_TABLE)
      await rm(backupDisk().location!, { recursive: true, force: true })
    }
  })

  test('a backup taken during concurrent writes restores with matching per-tenant counts, checksums and money totals', async ({ assert }) => {
    const tenants = await Promise.all([makeTenant(), makeTenant(), makeTenant()])
    const ids = tenants.map((t) => t.tenant.id)
    const uploads = drive.use()
    const fileKeys = ids.map((id) => `drill/${id}/${randomBytes(6).toString('hex')}.txt`)
    for (const [i, key] of fileKeys.entries()) await uploads.put(key, `file ${i} ${randomBytes(64).toString('hex')}`)

    const insert = () => {
      const tenantId = ids[randomInt(ids.length)]
      return db.table(DRILL_TABLE).insert({
        tenant_id: tenantId,
        amount_minor: randomInt(1, 1_000_000) * 1000,
        total_cents: randomInt(1, 10_000),
        note: randomBytes(8).toString('hex'),
      })
    }
    for (let i = 0; i < 150; i++) await insert()

    let writing = true
    let writes = 0
    let writesDuringBackup = 0
    let backupRunning = false
    const writer = (async () => {
      while (writing) {
        await insert()
        writes++
        if (backupRunning) writesDuringBackup++
        await yieldToLoop()
      }
    })()
    while (writes < 20) await yieldToLoop()
    backupRunning = true
    const backup = await runBackup({ trigger: 'cli' })
    backupRunning = false
    const writesAfterBackup = writes + 20
    while (writes < writesAfterBackup) await yieldToLoop()
    writing = false
    await writer

    assert.equal(backup.status, 'succeeded')
    assert.isAbove(writesDuringBackup, 0, 'the writer kept inserting while the backup ran')
    assert.isAbove(backup.sizeBytes!, 0)
    assert.match(backup.checksum!, /^[0-9a-f]{64}$/)

    const target = await emptyTarget()
    try {
      const report = await restoreBackup(backup.diskKey!, { connection: target.name, filesDisk: target.filesDisk })
      const restored = await drillTotals(db.connection(target.name))
      /* the source rows the snapshot saw: one sequential writer, so a prefix of ids per tenant */
      const source = await drillTotals(db.connection(), new Map([...restored].map(([id, r]) => [id, r.maxId])))
      const everything = await drillTotals(db.connection())
      for (const id of ids) {
        const summary = report.tenants.find((t) => t.tenantId === String(id))!
        assert.exists(summary, `tenant ${id} is in the report`)
        assert.deepEqual(restored.get(id), source.get(id), `tenant ${id}: restored rows match the source at the snapshot`)
        assert.equal(summary.money[`${DRILL_TABLE}.amount_minor`], restored.get(id)!.money)
        assert.equal(report.manifest.stats[DRILL_TABLE].tenants![String(id)].rows, restored.get(id)!.rows)
        assert.isBelow(restored.get(id)!.rows, everything.get(id)!.rows + 1)
      }
      const restoredTotal = [...restored.values()].reduce((s, r) => s + r.rows, 0)
      const finalTotal = [...everything.values()].reduce((s, r) => s + r.rows, 0)
      assert.isAtLeast(restoredTotal, 150 + 20)
      assert.isBelow(restoredTotal, finalTotal, 'rows written after the snapshot are not in it')

      const restoredTenants = await db.connection(target.name).from('tenants').whereIn('id', ids).select('id', 'slug')
      assert.sameDeepMembers(
        restoredTenants.map((t: { id: number; slug: string }) => ({ id: Number(t.id), slug: t.slug })),
        tenants.map((t) => ({ id: t.tenant.id, slug: t.tenant.slug }))
      )
      for (const key of fileKeys) {
        assert.equal(await target.filesDisk.get(key), await uploads.get(key), `file ${key} is restored byte for byte`)
      }
      const row = await db.connection(target.name).from('backups').where('id', backup.id).first()
      assert.equal(row.status, 'succeeded')
    } finally {
      await target.drop()
      for (const key of fileKeys) await uploads.delete(key)
    }
  }).timeout(60000)

  test('a wrong key and a tampered archive fail clearly and leave the target empty', async ({ assert }) => {
    await makeTenant()
    const backup = await runBackup({ trigger: 'cli' })
    const target = await emptyTarget()
    try {
      await assert.rejects(
        () => restoreBackup(backup.diskKey!, { connection: target.name, filesDisk: target.filesDisk, key: randomBytes(32) }),
        /Wrong backup key/
      )
      const bytes = Buffer.from(await backupDisk().disk.getBytes(backup.diskKey!))
      bytes[Math.floor(bytes.length / 2)] ^= 0x01
      const tampered = app.makePath(`tmp/${target.name}-tampered.cfbackup`)
      await writeFile(tampered, bytes)
      try {
        const error = await restoreBackup(tampered, { connection: target.name, filesDisk: target.filesDisk }).catch((e) => e)
        assert.instanceOf(error, BackupIntegrityError)
        assert.match(error.message, /damaged or was tampered with/)
        await writeFile(tampered, bytes.subarray(0, bytes.length - 100))
        const truncated = await restoreBackup(tampered, { connection: target.name, filesDisk: target.filesDisk }).catch((e) => e)
        assert.instanceOf(truncated, BackupIntegrityError)
      } finally {
        await rm(tampered, { force: true })
      }
      assert.deepEqual(await nonEmptyTables(target.name), [])
      const wrong = await restoreBackup(backup.diskKey!, { connection: target.name, key: randomBytes(32) }).catch((e) => e)
      assert.instanceOf(wrong, BackupKeyError)
    } finally {
      await target.drop()
    }
  }).timeout(60000)

  test('restores into a migrated but empty database', async ({ assert }) => {
    const t = await makeTenant()
    const backup = await runBackup({ trigger: 'cli' })
    const target = await emptyTarget()
    try {
      if (isPg()) await db.connection(target.name).rawQuery(`create schema if not exists "${process.env.PG_SCHEMA}"`)
      const migrated = await ace.exec('migration:run', ['--force', '--compact-output', `--connection=${target.name}`])
      assert.equal(migrated.exitCode, 0)
      assert.deepEqual(await nonEmptyTables(target.name), [], 'migration bookkeeping does not count as data')
      const report = await restoreBackup(backup.diskKey!, { connection: target.name, filesDisk: target.filesDisk })
      assert.exists(report.tenants.find((r) => r.tenantId === String(t.tenant.id) && r.slug === t.tenant.slug))
      const owner = await db.connection(target.name).from('users').where('id', t.owner.id).first()
      assert.equal(owner.email, t.owner.email)
      assert.include(await nonEmptyTables(target.name), 'tenants')
    } finally {
      await target.drop()
    }
  }).timeout(60000)

  test('restore refuses a database that holds data, and says so', async ({ assert }) => {
    await makeTenant()
    const backup = await runBackup({ trigger: 'cli' })
    const error = await restoreBackup(backup.diskKey!).catch((e) => e)
    assert.instanceOf(error, RestoreRefusedError)
    assert.include(error.message, 'not empty')
    assert.include(error.tables, 'tenants')
    assert.equal(error.code, 'E_RESTORE_TARGET_NOT_EMPTY')
  }).timeout(60000)

  test('a missing archive is reported as such', async ({ assert }) => {
    const target = await emptyTarget()
    try {
      await assert.rejects(() => restoreBackup('no-such-backup.cfbackup', { connection: target.name }), /neither a file on this machine nor a key/)
    } finally {
      await target.drop()
    }
  })

  test('retention keeps the newest backups and deletes the others with their archives', async ({ assert }) => {
    const { disk } = backupDisk()
    const now = DateTime.utc()
    const made: Backup[] = []
    for (const ageDays of [40, 35, 20, 10, 1]) {
      const key = `retention-${randomBytes(4).toString('hex')}.cfbackup`
      await disk.put(key, 'x')
      made.push(await Backup.create({ status: 'succeeded', trigger: 'cli', diskKey: key, createdAt: now.minus({ days: ageDays }) }))
    }
    const failedOld = await Backup.create({ status: 'failed', trigger: 'schedule', error: 'boom', createdAt: now.minus({ days: 60 }) })
    await Backup.query().whereNotIn('id', [...made.map((b) => b.id), failedOld.id]).delete()

    const pruned = await pruneBackups({ count: 3, days: 30 })
    assert.sameMembers(pruned, [made[0].id, made[1].id])
    const left = await Backup.query().orderBy('id')
    assert.deepEqual(left.map((b) => b.id), [made[2].id, made[3].id, made[4].id])
    assert.isFalse(await disk.exists(made[0].diskKey!))
    assert.isTrue(await disk.exists(made[4].diskKey!))

    await pruneBackups({ count: 1, days: 0 })
    assert.deepEqual((await Backup.query()).map((b) => b.id), [made[4].id], 'the newest backup always stays')
  })

  test('without external tools on PATH: SQLite still backs up, PostgreSQL fails naming pg_dump', async ({ assert }) => {
    const path = process.env.PATH
    process.env.PATH = app.makePath('tmp/no-such-bin')
    let error: any = null
    try {
      error = await runBackup({ trigger: 'cli' }).then(() => null, (e) => e)
    } finally {
      process.env.PATH = path
    }
    const row = await Backup.query().orderBy('id', 'desc').firstOrFail()
    if (isPg()) {
      assert.equal(error?.code, 'E_BACKUP_TOOL_MISSING')
      assert.match(error.message, /pg_dump was not found on PATH/)
      assert.equal(row.status, 'failed')
      assert.match(row.error!, /pg_dump was not found/)
    } else {
      /* the SQLite snapshot is made in-process (VACUUM INTO): no outside tool is needed */
      assert.isNull(error)
      assert.equal(row.status, 'succeeded')
    }
  })

  test('a backup that cannot be made is recorded as failed with its reason', async ({ assert }) => {
    const { parseBackupKey } = await import('#services/backup_crypto')
    assert.throws(() => parseBackupKey(undefined), /BACKUP_KEY is not set/)
    assert.throws(() => parseBackupKey('c2hvcnQ='), /32 bytes/)
    const raw = (await readFile(app.makePath('.env.test'), 'utf8')).match(/^BACKUP_KEY=(.+)$/m)![1]
    assert.lengthOf(parseBackupKey(raw), 32)

    const error = await runBackup({ trigger: 'cli', connection: 'no_such_connection' }).catch((e) => e)
    assert.match(error.message, /Unknown database connection/)
    const row = await Backup.query().orderBy('id', 'desc').firstOrFail()
    assert.equal(row.status, 'failed')
    assert.match(row.error!, /Unknown database connection/)
    assert.isNotNull(row.finishedAt)
  })
})
