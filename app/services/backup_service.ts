/*
| Backups of the whole install and their restore. A backup is one consistent snapshot of the
| database (SQLite: VACUUM INTO on a worker thread; PostgreSQL: pg_dump on an exported snapshot
| that the manifest's checksums are computed in too) plus every uploaded file, packed as tar,
| gzipped, encrypted with BACKUP_KEY (see backup_crypto.ts) and written through Drive, so memory
| stays flat whatever the size. Restore only ever targets an empty database.
*/
import { createHash } from 'node:crypto'
import { createReadStream, createWriteStream, existsSync, readFileSync } from 'node:fs'
import { chmod, copyFile, mkdtemp, rm, stat, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { isAbsolute, join, resolve } from 'node:path'
import { PassThrough, Readable, Transform, Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { Worker } from 'node:worker_threads'
import { createGunzip, createGzip } from 'node:zlib'
import tar from 'tar-stream'
import { DateTime } from 'luxon'
import app from '@adonisjs/core/services/app'
import logger from '@adonisjs/core/services/logger'
import db from '@adonisjs/lucid/services/db'
import drive from '@adonisjs/drive/services/main'
import { Disk } from '@adonisjs/drive'
import { FSDriver } from '@adonisjs/drive/drivers/fs'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import env from '#start/env'
import Backup, { type BackupTrigger } from '#models/backup'
import { DomainError } from '#exceptions/domain_errors'
import { DecryptStream, EncryptStream, parseBackupKey } from '#services/backup_crypto'
import {
  BOOKKEEPING_TABLES,
  collectStats,
  compareStats,
  listTables,
  summarizeTenants,
  type DatabaseStats,
  type TenantSummary,
} from '#services/backup_stats'

export const ARCHIVE_EXTENSION = '.cfbackup'
const DB_ENTRY = { sqlite: 'database.sqlite3', pg: 'database.pgdump' } as const
const FILES_PREFIX = 'files/'
const MANIFEST = 'manifest.json'
const S3_PREFIX = 'backups/'
/* a running backup touches its row this often; one silent for STALE_RUNNING_MS has died */
const HEARTBEAT_MS = 30_000
const STALE_RUNNING_MS = 10 * 60_000

export class BackupError extends DomainError {
  constructor(message: string, code = 'E_BACKUP_FAILED') {
    super(message, { code, status: 422 })
  }
}

/** Raised when the restore target already holds data: restore never overwrites */
export class RestoreRefusedError extends BackupError {
  constructor(public tables: string[]) {
    super(
      `Refusing to restore: the target database is not empty (rows in ${tables.join(', ')}). ` +
        'Restore into a new, empty database (migrated or not); existing data is never overwritten.',
      'E_RESTORE_TARGET_NOT_EMPTY'
    )
  }
}

export interface Manifest {
  format: 'coderon-flow-backup'
  version: 1
  backupId: number | null
  app: { name: string; version: string }
  createdAt: string
  dialect: 'sqlite' | 'pg'
  schema: string | null
  database: { entry: string; size: number; sha256: string }
  tenants: Array<{ id: number; slug: string }>
  summary: TenantSummary[]
  stats: DatabaseStats
  files: Array<{ key: string; size: number; sha256: string }>
}

export interface RestoreReport {
  manifest: Manifest
  tenants: Array<TenantSummary & { slug: string | null }>
  files: number
}

type Dialect = 'sqlite' | 'pg'

interface ConnectionInfo {
  name: string
  dialect: Dialect
  sqlitePath?: string
  pg?: { host: string; port: number; user: string; password?: string; database: string; schema: string }
}

function connectionInfo(name = db.primaryConnectionName): ConnectionInfo {
  const node = db.manager.get(name)
  if (!node) throw new BackupError(`Unknown database connection "${name}"`)
  const config = node.config as any
  if (config.client === 'pg') {
    const c = config.connection ?? {}
    const searchPath: string[] | undefined = config.searchPath
    return {
      name,
      dialect: 'pg',
      pg: {
        host: c.host ?? '127.0.0.1',
        port: Number(c.port ?? 5432),
        user: c.user ?? 'postgres',
        password: c.password,
        database: c.database,
        schema: searchPath?.[0] ?? 'public',
      },
    }
  }
  if (config.client === 'better-sqlite3' || config.client === 'sqlite3') {
    return { name, dialect: 'sqlite', sqlitePath: resolve(config.connection.filename) }
  }
  throw new BackupError(`Backups support SQLite and PostgreSQL, not "${config.client}"`)
}

export function appVersion(): { name: string; version: string } {
  const pkg = JSON.parse(readFileSync(app.makePath('package.json'), 'utf8'))
  return { name: pkg.name, version: pkg.version }
}

/* ---------------------------------------------------------------- configuration */

export function backupKey(): Buffer {
  return parseBackupKey(env.get('BACKUP_KEY')?.release())
}

export interface BackupTarget {
  disk: Disk
  prefix: string
  /** true when uploads live on the same disk: the uploads listing then skips the prefix */
  sharedWithFiles: boolean
  /** the folder of a local disk */
  location?: string
}

/** Where archives go: a local folder by default (BACKUP_PATH), or the S3 disk under backups/ */
export function backupDisk(): BackupTarget {
  if (env.get('BACKUP_DISK') === 's3') {
    if (!env.get('S3_BUCKET')) throw new BackupError('BACKUP_DISK=s3 needs the S3 settings (S3_BUCKET and its credentials)')
    return { disk: drive.use('s3' as any) as Disk, prefix: S3_PREFIX, sharedWithFiles: drive.use() === drive.use('s3' as any) }
  }
  const path = env.get('BACKUP_PATH') || (app.inTest ? `tmp/backups-${process.pid}` : 'storage/backups')
  const location = isAbsolute(path) ? path : app.makePath(path)
  return { disk: new Disk(new FSDriver({ location, visibility: 'private' })), prefix: '', sharedWithFiles: false, location }
}

export function retention() {
  return { count: env.get('BACKUP_RETAIN_COUNT', 14), days: env.get('BACKUP_RETAIN_DAYS', 30) }
}

/* ---------------------------------------------------------------- snapshot */

/* VACUUM INTO holds one read transaction for the copy (a consistent snapshot) while WAL lets
   every other connection keep writing; on a worker thread so this event loop keeps serving */
function sqliteSnapshot(source: string, target: string) {
  const module = createRequire(import.meta.url).resolve('better-sqlite3')
  const code = `
    const { workerData } = require('node:worker_threads')
    const Database = require(workerData.module)
    const db = new Database(workerData.source, { fileMustExist: true })
    try { db.pragma('busy_timeout = 30000'); db.prepare('VACUUM INTO ?').run(workerData.target) } finally { db.close() }
  `
  return new Promise<void>((done, fail) => {
    const worker = new Worker(code, { eval: true, workerData: { module, source, target } })
    worker.once('error', fail)
    worker.once('exit', (exitCode) => (exitCode === 0 ? done() : fail(new BackupError(`SQLite snapshot exited with ${exitCode}`))))
  })
}

async function withSqliteFile<T>(path: string, fn: (client: QueryClientContract) => Promise<T>): Promise<T> {
  const name = `backup_file_${process.pid}_${Math.random().toString(36).slice(2, 10)}`
  db.manager.add(name, {
    client: 'better-sqlite3',
    connection: { filename: path },
    useNullAsDefault: true,
    pool: { min: 0, max: 1 },
  } as any)
  try {
    return await fn(db.connection(name))
  } finally {
    await db.manager.release(name)
  }
}

function pgEnv(pg: NonNullable<ConnectionInfo['pg']>) {
  return { ...process.env, PGPASSWORD: pg.password ?? process.env.PGPASSWORD ?? '', PGCONNECT_TIMEOUT: '10' }
}

function pgArgs(pg: NonNullable<ConnectionInfo['pg']>) {
  return ['--host', pg.host, '--port', String(pg.port), '--username', pg.user, '--no-password']
}

/** Runs a PostgreSQL client tool; a missing binary is reported as such, not as ENOENT */
function runTool(bin: string, args: string[], pg: NonNullable<ConnectionInfo['pg']>) {
  return new Promise<void>((done, fail) => {
    const child = spawn(bin, args, { env: pgEnv(pg), stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (chunk) => (stderr = (stderr + chunk).slice(-4000)))
    child.once('error', (error: NodeJS.ErrnoException) => {
      fail(
        error.code === 'ENOENT'
          ? new BackupError(
              `${bin} was not found on PATH: install the PostgreSQL client tools of the server's major version ` +
                '(Debian: apt-get install postgresql-client) on this machine',
              'E_BACKUP_TOOL_MISSING'
            )
          : error
      )
    })
    child.once('close', (code) => (code === 0 ? done() : fail(new BackupError(`${bin} failed (exit ${code}): ${stderr.trim()}`))))
  })
}

async function fileSha256(path: string) {
  const hash = createHash('sha256')
  await pipeline(createReadStream(path), hash)
  return hash.digest('hex')
}

interface Snapshot {
  dialect: Dialect
  schema: string | null
  file: string
  stats: DatabaseStats
  tenants: Array<{ id: number; slug: string }>
}

async function readTenants(client: QueryClientContract) {
  const rows = await client.from('tenants').select('id', 'slug').orderBy('id')
  return rows.map((r: { id: number | string; slug: string }) => ({ id: Number(r.id), slug: r.slug }))
}

async function takeSnapshot(info: ConnectionInfo, dir: string): Promise<Snapshot> {
  if (info.dialect === 'sqlite') {
    const file = join(dir, DB_ENTRY.sqlite)
    await sqliteSnapshot(info.sqlitePath!, file)
    const { stats, tenants } = await withSqliteFile(file, async (client) => ({
      stats: await collectStats(client),
      tenants: await readTenants(client),
    }))
    return { dialect: 'sqlite', schema: null, file, stats, tenants }
  }
  const pg = info.pg!
  const file = join(dir, DB_ENTRY.pg)
  /* the checksums and pg_dump read the same exported snapshot, so they agree under writes */
  return db.connection(info.name).transaction(
    async (trx) => {
      const [{ snapshot }] = (await trx.rawQuery('select pg_export_snapshot() as snapshot')).rows
      const dump = runTool(
        'pg_dump',
        [
          ...pgArgs(pg),
          '--dbname',
          pg.database,
          '--format=custom',
          '--compress=0',
          '--no-owner',
          '--no-privileges',
          `--schema=${pg.schema}`,
          `--snapshot=${snapshot}`,
          `--file=${file}`,
        ],
        pg
      )
      const [stats, tenants] = await Promise.all([collectStats(trx), readTenants(trx), dump])
      return { dialect: 'pg' as const, schema: pg.schema, file, stats, tenants }
    },
    { isolationLevel: 'repeatable read' }
  )
}

/* ---------------------------------------------------------------- backup */

async function* listFiles(disk: Disk, skipPrefix: string | null) {
  let paginationToken: string | undefined
  do {
    const page = await disk.listAll('', { recursive: true, paginationToken })
    for (const object of page.objects) {
      if (!object.isFile) continue
      if (skipPrefix && object.key.startsWith(skipPrefix)) continue
      yield object.key
    }
    paginationToken = page.paginationToken
  } while (paginationToken)
}

function archiveName(id: number, at: DateTime) {
  return `coderon-${at.toUTC().toFormat("yyyyLLdd'T'HHmmss")}-${id}${ARCHIVE_EXTENSION}`
}

export interface RunOptions {
  trigger?: BackupTrigger
  requestedBy?: number | null
  /** a row made beforehand (queued by "back up now" or claimed by the schedule) */
  backup?: Backup
  connection?: string
  filesDisk?: Disk
  target?: BackupTarget
  key?: Buffer
}

/** Makes one backup, records it in `backups` and applies retention; throws after recording a failure */
export async function runBackup(options: RunOptions = {}): Promise<Backup> {
  const started = Date.now()
  const row = options.backup ?? new Backup()
  row.merge({
    status: 'running',
    trigger: options.backup?.trigger ?? options.trigger ?? 'cli',
    requestedBy: options.backup?.requestedBy ?? options.requestedBy ?? null,
    startedAt: DateTime.utc(),
    error: null,
  })
  await row.save()

  let target: BackupTarget | null = null
  let diskKey = ''
  let dir: string | null = null
  let written = false
  const heartbeat = setInterval(() => {
    db.from('backups')
      .where('id', row.id)
      .where('status', 'running')
      .update({ updated_at: sqlTime(db.connection(), DateTime.utc()) })
      .catch((error) => logger.warn({ err: error, backupId: row.id }, 'backup heartbeat failed'))
  }, HEARTBEAT_MS)
  try {
    const to = (target = options.target ?? backupDisk())
    diskKey = to.prefix + archiveName(row.id, row.startedAt!)
    const key = options.key ?? backupKey()
    const info = connectionInfo(options.connection)
    const filesDisk = options.filesDisk ?? (drive.use() as Disk)
    dir = await mkdtemp(join(tmpdir(), 'coderon-backup-'))
    const snapshot = await takeSnapshot(info, dir)
    const dbEntry = { entry: DB_ENTRY[snapshot.dialect], size: (await stat(snapshot.file)).size, sha256: await fileSha256(snapshot.file) }

    const pack = tar.pack()
    const gzip = createGzip()
    const encrypt = new EncryptStream(key)
    const archiveHash = createHash('sha256')
    let size = 0
    const counter = new Transform({
      transform(chunk, _enc, callback) {
        archiveHash.update(chunk)
        size += chunk.length
        callback(null, chunk)
      },
    })
    const out = new PassThrough()
    const plumbing = pipeline(Readable.from(pack), gzip, encrypt, counter, out)
    const files: Manifest['files'] = []
    const closed = once(pack, 'close').then((): never => {
      throw new BackupError('The archive stream closed while it was being written')
    })
    closed.catch(() => {})

    const produce = async () => {
      await addEntry(pack, closed, dbEntry.entry, dbEntry.size, createReadStream(snapshot.file))
      for await (const fileKey of listFiles(filesDisk, to.sharedWithFiles ? to.prefix : null)) {
        const meta = await filesDisk.getMetaData(fileKey).catch(() => null)
        /* deleted since it was listed: the snapshot's rows are older than the listing anyway */
        if (!meta) continue
        const hash = createHash('sha256')
        const source = (await filesDisk.getStream(fileKey)).pipe(new Transform({
          transform(chunk, _enc, callback) {
            hash.update(chunk)
            callback(null, chunk)
          },
        }))
        await addEntry(pack, closed, FILES_PREFIX + fileKey, meta.contentLength, source)
        files.push({ key: fileKey, size: meta.contentLength, sha256: hash.digest('hex') })
      }
      const manifest: Manifest = {
        format: 'coderon-flow-backup',
        version: 1,
        backupId: row.id,
        app: appVersion(),
        createdAt: row.startedAt!.toISO()!,
        dialect: snapshot.dialect,
        schema: snapshot.schema,
        database: dbEntry,
        tenants: snapshot.tenants,
        summary: summarizeTenants(snapshot.stats),
        stats: snapshot.stats,
        files,
      }
      const body = Buffer.from(JSON.stringify(manifest, null, 2))
      await addEntry(pack, closed, MANIFEST, body.length, Readable.from([body]))
      pack.finalize()
      return manifest
    }

    const producing = produce().catch((error) => {
      pack.destroy(error)
      throw error
    })
    written = true
    const [manifest] = await Promise.all([producing, to.disk.putStream(diskKey, out), plumbing])
    /* the archive is encrypted, but its size and timing are nobody else's business either */
    if (to.location) await chmod(join(to.location, diskKey), 0o600)

    row.merge({
      status: 'succeeded',
      diskKey,
      dbDialect: snapshot.dialect,
      appVersion: manifest.app.version,
      sizeBytes: size,
      checksum: archiveHash.digest('hex'),
      tenantCount: snapshot.tenants.length,
      rowCount: Object.values(snapshot.stats).reduce((sum, t) => sum + t.rows, 0),
      fileCount: files.length,
      durationMs: Date.now() - started,
      finishedAt: DateTime.utc(),
    })
    await row.save()
    await pruneBackups({ target: to })
    return row
  } catch (error) {
    if (written && target) await target.disk.delete(diskKey).catch(() => {})
    row.merge({ status: 'failed', error: (error as Error).message.slice(0, 2000), durationMs: Date.now() - started, finishedAt: DateTime.utc() })
    await row.save()
    throw error
  } finally {
    clearInterval(heartbeat)
    if (dir) await rm(dir, { recursive: true, force: true })
  }
}

/* tar-stream entries are streamx writables: written by hand, with backpressure; `closed`
   rejects once the pack is torn down, so a failed consumer cannot leave a write waiting */
async function addEntry(pack: tar.Pack, closed: Promise<never>, name: string, size: number, source: AsyncIterable<Buffer>) {
  let finish: (error?: Error | null) => void = () => {}
  const finished = new Promise<void>((done, fail) => (finish = (error) => (error ? fail(error) : done())))
  const entry = pack.entry({ name, size, mtime: new Date(0), mode: 0o600 }, finish)
  for await (const chunk of source) {
    if (!entry.write(chunk)) await Promise.race([once(entry, 'drain'), closed])
  }
  entry.end(undefined)
  await Promise.race([finished, closed])
}

/**
 * Marks backups whose process died as failed: running ones without a heartbeat for a while, and
 * queued ones no worker took within a day. Otherwise they would block "back up now" forever.
 */
export async function failStaleBackups(now = DateTime.utc()) {
  const client = db.connection()
  const stale = await Backup.query()
    .where((q) => {
      q.where('status', 'running').where('updated_at', '<', sqlTime(client, now.minus({ milliseconds: STALE_RUNNING_MS })))
    })
    .orWhere((q) => {
      q.where('status', 'queued').where('updated_at', '<', sqlTime(client, now.minus({ hours: 24 })))
    })
  for (const backup of stale) {
    backup.merge({
      status: 'failed',
      error: backup.status === 'running' ? 'Interrupted: the process making it stopped' : 'No worker picked it up within a day',
      finishedAt: now,
    })
    await backup.save()
  }
  return stale.map((b) => b.id)
}

/** Keeps the newest BACKUP_RETAIN_COUNT successful backups, minus those older than BACKUP_RETAIN_DAYS (the newest always stays) */
export async function pruneBackups(
  options: { target?: BackupTarget; now?: DateTime; count?: number; days?: number } = {}
) {
  const count = options.count ?? retention().count
  const days = options.days ?? retention().days
  const target = options.target ?? backupDisk()
  const cutoff = (options.now ?? DateTime.utc()).minus({ days })
  const succeeded = await Backup.query().where('status', 'succeeded').orderBy('created_at', 'desc').orderBy('id', 'desc')
  const doomed = succeeded.filter((b, rank) => rank > 0 && (rank >= count || b.createdAt < cutoff))
  for (const backup of doomed) {
    if (backup.diskKey) await target.disk.delete(backup.diskKey)
    await backup.delete()
  }
  const failed = await Backup.query().where('status', 'failed').where('created_at', '<', sqlTime(db.connection(), cutoff))
  for (const backup of failed) await backup.delete()
  return doomed.map((b) => b.id)
}

/* ---------------------------------------------------------------- restore */

/** Tables that hold rows, ignoring migration bookkeeping: empty means none */
export async function nonEmptyTables(connection = db.primaryConnectionName): Promise<string[]> {
  const info = connectionInfo(connection)
  if (info.dialect === 'sqlite' && !existsSync(info.sqlitePath!)) return []
  const client = db.connection(connection)
  const full: string[] = []
  for (const table of await listTables(client)) {
    if (BOOKKEEPING_TABLES.has(table)) continue
    if (await client.from(table).select(client.raw('1')).first()) full.push(table)
  }
  return full
}

/** An archive path on this machine, or a key on the backups disk (copied to a temp file) */
async function localArchive(source: string, dir: string, target: BackupTarget) {
  if (existsSync(source)) return source
  const key = source.startsWith(target.prefix) ? source : target.prefix + source
  if (!(await target.disk.exists(key).catch(() => false))) {
    throw new BackupError(`Backup "${source}" is neither a file on this machine nor a key on the backups disk`, 'E_BACKUP_NOT_FOUND')
  }
  const file = join(dir, 'archive' + ARCHIVE_EXTENSION)
  await pipeline(await target.disk.getStream(key), createWriteStream(file))
  return file
}

/** Streams the archive's entries; `onEntry` consumes each one fully */
async function readArchive(path: string, key: Buffer, onEntry: (name: string, stream: Readable) => Promise<void>) {
  const extract = tar.extract()
  const consuming = (async () => {
    for await (const entry of extract) await onEntry(entry.header.name, Readable.from(entry))
  })()
  try {
    await pipeline(createReadStream(path), new DecryptStream(key), createGunzip(), async (source: AsyncIterable<Buffer>) => {
      for await (const chunk of source) {
        /* a consumer that failed never drains: its rejection ends the wait */
        if (!extract.write(chunk)) await Promise.race([once(extract, 'drain'), consuming])
      }
      extract.end(undefined)
    })
  } catch (error) {
    extract.destroy(error as Error)
    await consuming.catch(() => {})
    throw error
  }
  await consuming
}

function hashing(hash: ReturnType<typeof createHash>) {
  return new Transform({
    transform(chunk, _enc, callback) {
      hash.update(chunk)
      callback(null, chunk)
    },
  })
}

function sink() {
  return new Writable({ write: (_chunk, _enc, callback) => callback() })
}

/** Reads the whole archive once: authenticates every byte, checks entry hashes, keeps the database dump */
async function verifyArchive(path: string, key: Buffer, dir: string) {
  const hashes = new Map<string, string>()
  let manifest: Manifest | null = null
  let dumpFile: string | null = null
  await readArchive(path, key, async (name, stream) => {
    if (name === MANIFEST) {
      const chunks: Buffer[] = []
      for await (const chunk of stream) chunks.push(chunk)
      manifest = JSON.parse(Buffer.concat(chunks).toString('utf8'))
      return
    }
    const hash = createHash('sha256')
    if (name === DB_ENTRY.sqlite || name === DB_ENTRY.pg) {
      dumpFile = join(dir, name)
      await pipeline(stream, hashing(hash), createWriteStream(dumpFile))
    } else {
      await pipeline(stream, hashing(hash), sink())
    }
    hashes.set(name, hash.digest('hex'))
  })
  const m = manifest as Manifest | null
  if (!m || m.format !== 'coderon-flow-backup' || !dumpFile) {
    throw new BackupError('The archive has no manifest or no database: it is not a complete Coderon Flow backup', 'E_BACKUP_INCOMPLETE')
  }
  const mismatched = [
    ...(hashes.get(m.database.entry) === m.database.sha256 ? [] : [m.database.entry]),
    ...m.files.filter((f) => hashes.get(FILES_PREFIX + f.key) !== f.sha256).map((f) => FILES_PREFIX + f.key),
  ]
  if (mismatched.length) {
    throw new BackupError(`Checksums in the manifest do not match: ${mismatched.slice(0, 5).join(', ')}`, 'E_BACKUP_CHECKSUM')
  }
  return { manifest: m, dumpFile: dumpFile as string }
}

async function restoreDatabase(info: ConnectionInfo, manifest: Manifest, dumpFile: string, dir: string) {
  if (info.dialect === 'sqlite') {
    /* the target is empty (checked): replace it whole, with no stale WAL beside it */
    await db.manager.close(info.name)
    for (const suffix of ['', '-wal', '-shm', '-journal']) await rm(info.sqlitePath! + suffix, { force: true })
    await copyFile(dumpFile, info.sqlitePath!)
    return
  }
  const pg = info.pg!
  if (manifest.schema && manifest.schema !== pg.schema) {
    throw new BackupError(
      `The backup holds schema "${manifest.schema}" but the target connection uses "${pg.schema}": set PG_SCHEMA=${manifest.schema}`,
      'E_RESTORE_SCHEMA'
    )
  }
  const client = db.connection(info.name)
  /* an empty but migrated schema is dropped so the dump can create every object itself */
  await client.rawQuery(`drop schema if exists ${quoteIdent(pg.schema)} cascade`)
  await client.rawQuery(`create schema ${quoteIdent(pg.schema)}`)
  /* the dump creates its schema; it exists already, so that one entry is left out */
  const list = join(dir, 'restore.list')
  const toc = await new Promise<string>((done, fail) => {
    const child = spawn('pg_restore', ['--list', dumpFile], { env: pgEnv(pg) })
    let out = ''
    child.stdout.on('data', (chunk) => (out += chunk))
    child.once('error', (error: NodeJS.ErrnoException) =>
      fail(error.code === 'ENOENT' ? new BackupError('pg_restore was not found on PATH: install the PostgreSQL client tools', 'E_BACKUP_TOOL_MISSING') : error)
    )
    child.once('close', (code) => (code === 0 ? done(out) : fail(new BackupError(`pg_restore --list failed (exit ${code})`))))
  })
  const entries = toc.split('\n').filter((line) => !/^\d+; \d+ \d+ (SCHEMA|COMMENT) - (SCHEMA )?/.test(line))
  await writeFile(list, entries.join('\n'))
  await runTool(
    'pg_restore',
    [...pgArgs(pg), '--dbname', pg.database, '--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction', `--use-list=${list}`, dumpFile],
    pg
  )
}

/* how Lucid stores a DateTime on each dialect, for plain query-builder comparisons and updates */
function sqlTime(client: QueryClientContract, time: DateTime) {
  return client.dialect.name === 'postgres' ? time.toJSDate() : time.toUTC().toFormat(client.dialect.dateTimeFormat)
}

function quoteIdent(name: string) {
  return `"${name.replaceAll('"', '""')}"`
}

export interface RestoreOptions {
  key?: Buffer
  connection?: string
  filesDisk?: Disk
  log?: (message: string) => void
}

/** Restores an archive into an empty database, then its files, then checks everything against the manifest */
export async function restoreBackup(source: string, options: RestoreOptions = {}): Promise<RestoreReport> {
  const log = options.log ?? ((message: string) => logger.info(message))
  const key = options.key ?? backupKey()
  const info = connectionInfo(options.connection)
  const filesDisk = options.filesDisk ?? (drive.use() as Disk)
  const full = await nonEmptyTables(info.name)
  if (full.length) throw new RestoreRefusedError(full)

  const dir = await mkdtemp(join(tmpdir(), 'coderon-restore-'))
  try {
    const path = await localArchive(source, dir, backupDisk())
    log('Verifying the archive (authenticity and checksums)')
    const { manifest, dumpFile } = await verifyArchive(path, key, dir)
    if (manifest.dialect !== info.dialect) {
      throw new BackupError(
        `This backup is of a ${manifest.dialect} database; the target connection is ${info.dialect}`,
        'E_RESTORE_DIALECT'
      )
    }

    log(`Restoring the ${manifest.dialect} database (backup of ${manifest.createdAt}, app ${manifest.app.version})`)
    await restoreDatabase(info, manifest, dumpFile, dir)

    log(`Restoring ${manifest.files.length} files`)
    const expected = new Map(manifest.files.map((f) => [FILES_PREFIX + f.key, f]))
    let restoredFiles = 0
    await readArchive(path, key, async (name, stream) => {
      const file = expected.get(name)
      if (!file) return void (await pipeline(stream, sink()))
      await filesDisk.putStream(file.key, stream)
      restoredFiles++
    })

    log('Checking the restored database against the manifest')
    const client = db.connection(info.name)
    const problems = compareStats(manifest.stats, await collectStats(client))
    if (problems.length) {
      throw new BackupError(`The restored database does not match the backup: ${problems.slice(0, 10).join('; ')}`, 'E_RESTORE_MISMATCH')
    }
    await settleBackupRows(client, manifest)
    const slugs = new Map(manifest.tenants.map((t) => [String(t.id), t.slug]))
    return {
      manifest,
      files: restoredFiles,
      tenants: manifest.summary.map((s) => ({ ...s, slug: slugs.get(s.tenantId) ?? null })),
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/* The snapshot caught the backup that made it (and maybe others) mid-run: settle them */
async function settleBackupRows(client: QueryClientContract, manifest: Manifest) {
  const stamp = sqlTime(client, DateTime.utc())
  if (manifest.backupId !== null) {
    await client.from('backups').where('id', manifest.backupId).update({ status: 'succeeded', finished_at: stamp, updated_at: stamp })
  }
  await client
    .from('backups')
    .whereIn('status', ['queued', 'running'])
    .update({ status: 'failed', error: 'Interrupted: the database was restored from a backup', finished_at: stamp, updated_at: stamp })
}
