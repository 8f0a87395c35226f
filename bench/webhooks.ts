/*
| Webhook delivery throughput to a loopback receiver, per jobs driver:
|   bash bench/run.sh webhooks [--events=2000] [--concurrency=20] [--only=database-sqlite,bullmq-pg]
| Each case runs in its own process on a scratch database (a SQLite file under tmp/ or a fresh
| PostgreSQL schema) and, for BullMQ, a fresh Redis key prefix; all are removed afterwards. One
| tenant, one endpoint on 127.0.0.1 (the operator setting for private addresses on), N events
| emitted through `webhooks.emit` (delivery row + job in one transaction each), then one worker
| delivers them: signed, over HTTP, each attempt logged. Prints events emitted per second,
| deliveries per second, the receiver's p50/p99 round trip as logged, and checks that every
| event arrived once with a valid signature.
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
  driver: 'database' | 'bullmq'
  db: 'sqlite' | 'pg'
}

const CASES: Case[] = [
  { id: 'database-sqlite', driver: 'database', db: 'sqlite' },
  { id: 'database-pg', driver: 'database', db: 'pg' },
  { id: 'bullmq-pg', driver: 'bullmq', db: 'pg' },
]

interface Result {
  id: string
  events: number
  concurrency: number
  emitPerSec: number
  deliverPerSec: number
  seconds: number
  p50: number
  p99: number
  duplicates: number
  badSignatures: number
}

if (process.env.BENCH_CASE) {
  await runCase(JSON.parse(process.env.BENCH_CASE))
} else {
  await main()
}

async function main() {
  const events = Number(args.events ?? 2000)
  const concurrency = Number(args.concurrency ?? 20)
  const cases = CASES.filter((c) => !args.only || args.only.split(',').includes(c.id))
  const results: Result[] = []
  const loadBefore = loadavg()[0]
  for (const c of cases) results.push(await child(c, events, concurrency))
  console.log(`\nWebhook delivery to a loopback receiver, one worker (${events} events, webhooks queue concurrency ${concurrency})`)
  console.log(
    `machine: ${cpus()[0]?.model} x${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, ${platform()} ${release()}, Node ${process.versions.node}, load average ${loadBefore.toFixed(1)} before / ${loadavg()[0].toFixed(1)} after\n`
  )
  const rows = [
    ['case', 'emit events/s', 'deliveries/s', 'deliver s', 'p50 ms', 'p99 ms', 'duplicates', 'bad signatures'],
    ...results.map((r) => [
      r.id,
      r.emitPerSec.toFixed(0),
      r.deliverPerSec.toFixed(0),
      r.seconds.toFixed(2),
      String(r.p50),
      String(r.p99),
      String(r.duplicates),
      String(r.badSignatures),
    ]),
  ]
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)))
  for (const row of rows) console.log(row.map((cell, i) => cell.padEnd(widths[i])).join('  '))
}

function child(c: Case, events: number, concurrency: number) {
  return new Promise<Result>((resolve, reject) => {
    const tag = `${process.pid}_${c.id.replace(/-/g, '_')}`
    const env: Record<string, string> = {
      ...(process.env as Record<string, string>),
      BENCH_CASE: JSON.stringify({ ...c, events, concurrency }),
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      DB_CONNECTION: c.db,
      SQLITE_PATH: `tmp/bench-webhooks-${tag}.sqlite3`,
      PG_SCHEMA: `bench_${tag}`,
      PG_DB_NAME: process.env.PG_DB_NAME ?? 'test',
      PG_USER: process.env.PG_USER ?? 'postgres',
      JOBS_DRIVER: c.driver,
      JOBS_IN_PROCESS: 'false',
      /* the webhooks queue runs twice the configured concurrency */
      JOBS_CONCURRENCY: String(Math.max(1, Math.round(concurrency / 2))),
      JOBS_REDIS_PREFIX: `bench-${tag}`,
      REDIS_URL: process.env.REDIS_URL || 'redis://127.0.0.1:6379',
      WEBHOOKS_ALLOW_PRIVATE_NETWORKS: 'true',
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

function percentile(sorted: number[], p: number) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : 0
}

async function runCase(c: Case & { events: number; concurrency: number }) {
  const app = await bootConsoleApp(APP_ROOT)

  const { default: db } = await import('@adonisjs/lucid/services/db')
  const { MigrationRunner } = await import('@adonisjs/lucid/migration')
  const { default: jobs } = await import('#services/jobs')
  const { default: Tenant } = await import('#models/tenant')
  const { default: WebhookDeliveryAttempt } = await import('#models/webhook_delivery_attempt')
  const { tenantContext } = await import('#tenancy/tenant_context')
  const { createEndpoint, emit } = await import('#services/webhook_service')
  const { startReceiver } = await import('#tests/helpers/webhook_receiver')
  const { Webhook } = await import('standardwebhooks')

  if (c.db === 'pg') {
    await db.rawQuery(`drop schema if exists "${process.env.PG_SCHEMA}" cascade`)
    await db.rawQuery(`create schema "${process.env.PG_SCHEMA}"`)
  }
  const migrator = new MigrationRunner(db, app, { direction: 'up', dryRun: false })
  await migrator.run()
  if (migrator.error) throw migrator.error

  const tenant = await Tenant.create({
    slug: `bench-${process.pid}`,
    name: 'Bench',
    status: 'active',
    locale: 'en',
    timezone: 'UTC',
    currency: 'EUR',
    profile: {},
    theme: {},
  })
  const receiver = await startReceiver()
  const endpoint = await tenantContext.run({ tenant, enabledPlugins: new Set() }, () =>
    createEndpoint({ url: receiver.url, events: ['*'] })
  )

  const t0 = performance.now()
  for (let i = 0; i < c.events; i += 50) {
    const batch = []
    for (let j = i; j < Math.min(c.events, i + 50); j++) {
      batch.push(emit(tenant.id, 'bench.event', { n: j }, { eventId: `bench:${j}` }))
    }
    await Promise.all(batch)
  }
  const t1 = performance.now()

  const t2 = performance.now()
  const worker = await jobs.work({ queues: ['webhooks'], scheduler: false })
  while (receiver.accepted.size < c.events) await new Promise((r) => setTimeout(r, 10))
  const t3 = performance.now()
  await worker.stop()

  const verifier = new Webhook(endpoint.secret)
  let badSignatures = 0
  for (const request of receiver.requests) {
    try {
      verifier.verify(request.body, request.headers)
    } catch {
      badSignatures++
    }
  }
  const durations = (await WebhookDeliveryAttempt.forTenant(tenant.id).select('duration_ms')).map((a) => a.durationMs).sort((a, b) => a - b)

  const result: Result = {
    id: c.id,
    events: c.events,
    concurrency: c.concurrency,
    emitPerSec: c.events / ((t1 - t0) / 1000),
    deliverPerSec: c.events / ((t3 - t2) / 1000),
    seconds: (t3 - t2) / 1000,
    p50: percentile(durations, 50),
    p99: percentile(durations, 99),
    duplicates: receiver.duplicates,
    badSignatures,
  }

  await receiver.close()
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
