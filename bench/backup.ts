/*
| Backup and restore of a SQLite install of a given size:
|   bash bench/run.sh backup [--rows=100000] [--row-bytes=1000] [--files=50] [--file-kb=256]
| Runs on a scratch database, uploads folder and backups folder under tmp/ (removed afterwards).
| Prints the time and peak resident memory of the backup and of the restore with verification,
| and the archive size, so throughput and whether memory grows with the data can be read off.
*/
import { randomBytes } from 'node:crypto'
import { mkdirSync, rmSync } from 'node:fs'
import { cpus, loadavg, platform, release, totalmem } from 'node:os'
import { bootConsoleApp } from './boot_app.ts'

const args = Object.fromEntries(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, '').split('=')
    return [k, v ?? 'true']
  })
)
const rows = Number(args.rows ?? 100_000)
const rowBytes = Number(args['row-bytes'] ?? 1000)
const fileCount = Number(args.files ?? 50)
const fileKb = Number(args['file-kb'] ?? 256)

const scratch = `tmp/bench-backup-${process.pid}`
mkdirSync(new URL(`../${scratch}/`, import.meta.url), { recursive: true })
Object.assign(process.env, {
  NODE_ENV: 'development',
  DB_CONNECTION: 'sqlite',
  SQLITE_PATH: `${scratch}/source.sqlite3`,
  BACKUP_PATH: `${scratch}/backups`,
  BACKUP_KEY: randomBytes(32).toString('base64'),
  BACKUP_SCHEDULE: 'off',
  LOG_LEVEL: 'warn',
})

const app = await bootConsoleApp(new URL('../', import.meta.url))
const { default: db } = await import('@adonisjs/lucid/services/db')
const { MigrationRunner } = await import('@adonisjs/lucid/migration')
const { Disk } = await import('@adonisjs/drive')
const { FSDriver } = await import('@adonisjs/drive/drivers/fs')
const { runBackup, restoreBackup } = await import('#services/backup_service')
const { createTenant } = await import('#services/tenant_service')

let peak = 0
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20)
async function measure<T>(fn: () => Promise<T>) {
  peak = process.memoryUsage().rss
  const start = performance.now()
  const result = await fn()
  return { result, seconds: (performance.now() - start) / 1000, peakMb: Math.round(peak / 2 ** 20) }
}

try {
  const migrator = new MigrationRunner(db, app, { direction: 'up' })
  await migrator.run()
  if (migrator.error) throw migrator.error
  const { tenant } = await createTenant({
    slug: 'bench',
    name: 'Bench',
    ownerEmail: 'owner@bench.test',
    ownerPassword: 'bench-owner-password',
  })
  await db.connection().schema.createTable('bench_entries', (table) => {
    table.increments('id')
    table.integer('tenant_id').notNullable().references('tenants.id')
    table.bigInteger('amount_minor').notNullable()
    table.text('body').notNullable()
  })
  const body = () => randomBytes(Math.ceil((rowBytes * 3) / 4)).toString('base64').slice(0, rowBytes)
  await db.transaction(async (trx) => {
    for (let done = 0; done < rows; done += 200) {
      const batch = Array.from({ length: Math.min(200, rows - done) }, (_, i) => ({
        tenant_id: tenant.id,
        amount_minor: (done + i) * 7,
        body: body(),
      }))
      await trx.table('bench_entries').multiInsert(batch)
    }
  })
  const uploads = new Disk(new FSDriver({ location: app.makePath(`${scratch}/uploads`), visibility: 'private' }))
  for (let i = 0; i < fileCount; i++) await uploads.put(`bench/${i}.bin`, randomBytes(fileKb * 1024))
  const baselineMb = Math.round(process.memoryUsage().rss / 2 ** 20)

  const backup = await measure(() => runBackup({ trigger: 'cli', filesDisk: uploads }))
  db.manager.add('bench_restore', {
    client: 'better-sqlite3',
    connection: { filename: app.makePath(`${scratch}/restored.sqlite3`) },
    useNullAsDefault: true,
  } as any)
  const restoredFiles = new Disk(new FSDriver({ location: app.makePath(`${scratch}/restored-files`), visibility: 'private' }))
  const restore = await measure(() =>
    restoreBackup(backup.result.diskKey!, { connection: 'bench_restore', filesDisk: restoredFiles, log: () => {} })
  )

  const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(1)
  console.log(`Machine: ${cpus().length} × ${cpus()[0]?.model}, ${mb(totalmem())} MiB, ${platform()} ${release()}, Node ${process.version}, load ${loadavg()[0].toFixed(2)}`)
  console.log(`Data: ${rows} rows of ${rowBytes} B, ${fileCount} files of ${fileKb} KiB; archive ${mb(backup.result.sizeBytes!)} MiB; app baseline ${baselineMb} MiB RSS`)
  console.table([
    { step: 'backup', seconds: backup.seconds.toFixed(2), 'peak RSS MiB': backup.peakMb },
    { step: 'restore + verify', seconds: restore.seconds.toFixed(2), 'peak RSS MiB': restore.peakMb, files: restore.result.files },
  ])
} finally {
  clearInterval(sampler)
  await db.manager.closeAll()
  await app.terminate()
  rmSync(scratch, { recursive: true, force: true })
}
