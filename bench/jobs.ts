/*
| No-op job throughput with one worker, per driver:
|   bash bench/run.sh jobs [--jobs=5000] [--concurrency=100] [--only=database-sqlite,bullmq-pg]
| Each case runs in its own process on a scratch database (a SQLite file under tmp/, or a fresh
| PostgreSQL schema) and, for BullMQ, a fresh Redis key prefix; all are removed afterwards.
| Prints jobs dispatched per second (100 dispatches in flight) and jobs completed per second by one
| worker that starts once all are queued. bullmq-raw is BullMQ without the kernel (no tenant gate,
| no job_runs): the ceiling the bullmq driver is measured against on the same machine.
*/
import { bootConsoleApp } from './boot_app.ts'
import { spawn } from 'node:child_process'
import { cpus, loadavg, totalmem, platform, release } from 'node:os'
import { rmSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const APP_ROOT = new URL('../', import.meta.url)
const args = Object.fromEntries(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, '').split('=')
    return [k, v ?? 'true']
  })
)

interface Case {
  id: string
  driver: 'database' | 'bullmq' | 'bullmq-raw'
  db: 'sqlite' | 'pg'
}

/* bullmq-raw: BullMQ alone (no kernel runner, no job_runs), the ceiling of this machine */
const CASES: Case[] = [
  { id: 'database-sqlite', driver: 'database', db: 'sqlite' },
  { id: 'database-pg', driver: 'database', db: 'pg' },
  { id: 'bullmq-pg', driver: 'bullmq', db: 'pg' },
  { id: 'bullmq-raw', driver: 'bullmq-raw', db: 'sqlite' },
]

interface Result {
  id: string
  jobs: number
  concurrency: number
  dispatchPerSec: number
  completePerSec: number
  seconds: number
  /** from the last handler run until job_runs shows every job completed */
  viewLagSeconds?: number
}

if (process.env.BENCH_CASE) {
  await runCase(JSON.parse(process.env.BENCH_CASE))
} else {
  await main()
}

async function main() {
  const jobsCount = Number(args.jobs ?? 5000)
  const concurrency = Number(args.concurrency ?? 100)
  const cases = CASES.filter((c) => !args.only || args.only.split(',').includes(c.id))
  const results: Result[] = []
  const loadBefore = loadavg()[0]
  for (const c of cases) {
    const out = await child(c, jobsCount, concurrency)
    results.push(out)
  }
  console.log(`\nNo-op job throughput, one worker (${jobsCount} jobs, concurrency ${concurrency})`)
  console.log(`machine: ${cpus()[0]?.model} x${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, ${platform()} ${release()}, Node ${process.versions.node}, load average ${loadBefore.toFixed(1)} before / ${loadavg()[0].toFixed(1)} after\n`)
  const rows = [
    ['case', 'dispatch jobs/s', 'worker jobs/s', 'run s', 'job_runs lag s'],
    ...results.map((r) => [
      r.id,
      r.dispatchPerSec.toFixed(0),
      r.completePerSec.toFixed(0),
      r.seconds.toFixed(2),
      r.viewLagSeconds === undefined ? '-' : r.viewLagSeconds.toFixed(2),
    ]),
  ]
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)))
  for (const row of rows) console.log(row.map((cell, i) => cell.padEnd(widths[i])).join('  '))
}

function child(c: Case, jobsCount: number, concurrency: number) {
  return new Promise<Result>((resolve, reject) => {
    const tag = `${process.pid}_${c.id.replace(/-/g, '_')}`
    const env: Record<string, string> = {
      ...(process.env as Record<string, string>),
      BENCH_CASE: JSON.stringify({ ...c, jobs: jobsCount, concurrency }),
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      DB_CONNECTION: c.db,
      SQLITE_PATH: `tmp/bench-jobs-${tag}.sqlite3`,
      PG_SCHEMA: `bench_${tag}`,
      PG_DB_NAME: process.env.PG_DB_NAME ?? 'test',
      PG_USER: process.env.PG_USER ?? 'postgres',
      JOBS_DRIVER: c.driver === 'bullmq-raw' ? 'bullmq' : c.driver,
      JOBS_IN_PROCESS: 'false',
      JOBS_CONCURRENCY: String(concurrency),
      JOBS_REDIS_PREFIX: `bench-${tag}`,
      REDIS_URL: process.env.REDIS_URL || 'redis://127.0.0.1:6379',
    }
    const proc = spawn(process.execPath, ['--import=@poppinss/ts-exec', fileURLToPath(import.meta.url)], {
      cwd: fileURLToPath(APP_ROOT),
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let out = ''
    proc.stdout.on('data', (d) => (out += d))
    proc.on('exit', (code) => {
      rmSync(fileURLToPath(new URL(env.SQLITE_PATH, APP_ROOT)), { force: true })
      const line = out.split('\n').find((l) => l.startsWith('RESULT '))
      if (code !== 0 || !line) return reject(new Error(`${c.id} failed (${code}): ${out}`))
      resolve(JSON.parse(line.slice(7)))
    })
  })
}

async function runCase(c: Case & { jobs: number; concurrency: number }) {
  if (c.driver === 'bullmq-raw') return runRawBullMQ(c)
  const app = await bootConsoleApp(APP_ROOT)

  const { default: db } = await import('@adonisjs/lucid/services/db')
  const { MigrationRunner } = await import('@adonisjs/lucid/migration')
  const { default: jobs } = await import('#services/jobs')

  if (c.db === 'pg') {
    await db.rawQuery(`drop schema if exists "${process.env.PG_SCHEMA}" cascade`)
    await db.rawQuery(`create schema "${process.env.PG_SCHEMA}"`)
  }
  const migrator = new MigrationRunner(db, app, { direction: 'up', dryRun: false })
  await migrator.run()
  if (migrator.error) throw migrator.error

  const now = new Date().toISOString().slice(0, 19).replace('T', ' ')
  const [tenant] = await db
    .table('tenants')
    .insert({ slug: `bench-${process.pid}`, name: 'Bench', created_at: now, updated_at: now })
    .returning('id')
  const tenantId = typeof tenant === 'object' ? tenant.id : tenant

  let ran = 0
  jobs.define('kernel:bench_noop', async () => {
    ran++
  })

  const t0 = performance.now()
  for (let i = 0; i < c.jobs; i += 100) {
    const batch = []
    for (let j = i; j < Math.min(c.jobs, i + 100); j++) batch.push(jobs.dispatch('kernel:bench_noop', { tenantId, n: j }))
    await Promise.all(batch)
  }
  const t1 = performance.now()

  const completed = async () =>
    Number((await db.from('job_runs').where('status', 'completed').count('* as n'))[0].n)
  /* the BullMQ driver writes its queued rows in batches: wait for them before timing the worker */
  while (Number((await db.from('job_runs').count('* as n'))[0].n) < c.jobs) await new Promise((r) => setTimeout(r, 20))

  const t2 = performance.now()
  const worker = await jobs.work({ scheduler: false })
  while (ran < c.jobs) await new Promise((r) => setTimeout(r, 5))
  const t3 = performance.now()
  /* and until job_runs shows them all completed (the BullMQ driver reports in batches) */
  while ((await completed()) < c.jobs) await new Promise((r) => setTimeout(r, 20))
  const t4 = performance.now()
  await worker.stop()

  const result: Result = {
    id: c.id,
    jobs: c.jobs,
    concurrency: c.concurrency,
    dispatchPerSec: c.jobs / ((t1 - t0) / 1000),
    completePerSec: c.jobs / ((t3 - t2) / 1000),
    seconds: (t3 - t2) / 1000,
    viewLagSeconds: (t4 - t3) / 1000,
  }

  if (c.driver === 'bullmq') {
    const { BullMQDriver } = await import('#jobs/bullmq_driver')
    const { default: jobsConfig } = await import('#config/jobs')
    const driver = new BullMQDriver(jobs.registry, jobsConfig)
    for (const name of Object.keys(jobsConfig.queues)) await driver.queue(name).obliterate({ force: true })
    await driver.close()
  }
  await jobs.close()
  if (c.db === 'pg') await db.rawQuery(`drop schema if exists "${process.env.PG_SCHEMA}" cascade`)
  console.log(`RESULT ${JSON.stringify(result)}`)
  await app.terminate()
}

async function runRawBullMQ(c: Case & { jobs: number; concurrency: number }) {
  const { Queue, Worker } = await import('bullmq')
  const { Redis } = await import('ioredis')
  const connection = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: null })
  const prefix = process.env.JOBS_REDIS_PREFIX!
  const queue = new Queue('raw', { connection, prefix })
  const all = Array.from({ length: c.jobs }, (_, n) => ({ name: 'noop', data: { n }, opts: { removeOnComplete: true } }))
  const t0 = performance.now()
  for (let i = 0; i < all.length; i += 100) await Promise.all(all.slice(i, i + 100).map((j) => queue.add(j.name, j.data, j.opts)))
  const t1 = performance.now()
  let done = 0
  const t2 = performance.now()
  await new Promise<void>((resolve) => {
    const worker = new Worker('raw', async () => {}, { connection, prefix, concurrency: c.concurrency })
    worker.on('completed', () => {
      if (++done === c.jobs) void worker.close().then(() => resolve())
    })
  })
  const t3 = performance.now()
  await queue.obliterate({ force: true })
  await queue.close()
  await connection.quit()
  const result: Result = {
    id: c.id,
    jobs: c.jobs,
    concurrency: c.concurrency,
    dispatchPerSec: c.jobs / ((t1 - t0) / 1000),
    completePerSec: c.jobs / ((t3 - t2) / 1000),
    seconds: (t3 - t2) / 1000,
  }
  console.log(`RESULT ${JSON.stringify(result)}`)
}
