/*
| Stripe webhook acknowledgement over loopback HTTP (verify the signature with the tenant's
| secret, store the event once, enqueue its job, answer 200):
|   bash bench/run.sh stripe_webhooks [--rate=200] [--seconds=5] [--burst=2000] [--concurrency=32] [--db=sqlite|pg]
| The app's HTTP server runs in a child process on a scratch database (a SQLite file under tmp/
| or a fresh PostgreSQL schema) with jobs only queued (no worker), one tenant with Stripe keys.
| Phase 1 sends signed events at a steady rate and reports the ack p50/p99; phase 2 sends a
| burst with N requests in flight and reports events/s. Every event must be stored exactly once.
*/
import { spawn } from 'node:child_process'
import { request, Agent } from 'node:http'
import { randomBytes } from 'node:crypto'
import { rmSync } from 'node:fs'
import { cpus, loadavg, totalmem, platform, release } from 'node:os'
import { fileURLToPath } from 'node:url'
import { setTimeout as sleep } from 'node:timers/promises'

const APP_ROOT = new URL('../', import.meta.url)
const args = Object.fromEntries(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, '').split('=')
    return [k, v ?? 'true']
  })
)

if (process.env.BENCH_STRIPE_CHILD) await serve()
else await main()

/** Child: the app's HTTP server on a scratch database, a tenant with Stripe keys */
async function serve() {
  await import('reflect-metadata')
  const { Ignitor } = await import('@adonisjs/core')
  const ignitor = new Ignitor(APP_ROOT, {
    importer: (path) => (path.startsWith('./') || path.startsWith('../') ? import(new URL(path, APP_ROOT).href) : import(path)),
  })
  await ignitor
    .tap((app) => {
      app.booting(async () => {
        await import('#start/env')
      })
    })
    .httpServer()
    .start()
  const { default: app } = await import('@adonisjs/core/services/app')
  const { default: db } = await import('@adonisjs/lucid/services/db')
  const { MigrationRunner } = await import('@adonisjs/lucid/migration')
  if (process.env.DB_CONNECTION === 'pg') {
    await db.rawQuery(`drop schema if exists "${process.env.PG_SCHEMA}" cascade`)
    await db.rawQuery(`create schema "${process.env.PG_SCHEMA}"`)
  }
  const migrator = new MigrationRunner(db, app, { direction: 'up', dryRun: false })
  await migrator.run()
  if (migrator.error) throw migrator.error
  const { default: Tenant } = await import('#models/tenant')
  const { tenantContext } = await import('#tenancy/tenant_context')
  const { saveAccount } = await import('#plugins/payments/services/stripe_account')
  const tenant = await Tenant.create({ slug: `bench-${process.pid}`, name: 'Bench', status: 'active', locale: 'en', timezone: 'UTC', currency: 'EUR', profile: {}, theme: {} })
  const secret = `whsec_${randomBytes(16).toString('hex')}`
  await tenantContext.run({ tenant, enabledPlugins: new Set(['invoicing', 'payments']) }, () =>
    saveAccount(tenant.id, { secret_key: 'sk_test_bench', webhook_secret: secret })
  )
  process.stdout.write(`READY ${JSON.stringify({ host: `${tenant.slug}.localhost`, secret, tenantId: tenant.id })}\n`)
  process.stdin.on('data', async (chunk) => {
    if (!String(chunk).startsWith('COUNT')) return
    const { default: StripeEvent } = await import('#plugins/payments/models/stripe_event')
    const [row] = await StripeEvent.forTenant(tenant.id).count('* as total')
    process.stdout.write(`COUNT ${Number(row.$extras.total)}\n`)
  })
}

function percentile(sorted: number[], p: number) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : 0
}

async function main() {
  const rate = Number(args.rate ?? 200)
  const seconds = Number(args.seconds ?? 5)
  const burst = Number(args.burst ?? 2000)
  const concurrency = Number(args.concurrency ?? 32)
  const dbKind = args.db === 'pg' ? 'pg' : 'sqlite'
  const port = 20000 + Math.floor(Math.random() * 20000)
  const tag = `${process.pid}`
  const sqlitePath = `tmp/bench-stripe-${tag}.sqlite3`
  const child = spawn(process.execPath, ['--import=@poppinss/ts-exec', fileURLToPath(import.meta.url)], {
    cwd: fileURLToPath(APP_ROOT),
    env: {
      ...process.env,
      BENCH_STRIPE_CHILD: '1',
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      PORT: String(port),
      HOST: '127.0.0.1',
      DB_CONNECTION: dbKind,
      SQLITE_PATH: sqlitePath,
      PG_SCHEMA: `bench_stripe_${tag}`,
      PG_DB_NAME: process.env.PG_DB_NAME ?? 'test',
      PG_USER: process.env.PG_USER ?? 'postgres',
      JOBS_DRIVER: 'database',
      JOBS_IN_PROCESS: 'false',
    },
    stdio: ['pipe', 'pipe', 'inherit'],
  })
  let out = ''
  child.stdout!.on('data', (d) => (out += d))
  const waitLine = async (prefix: string) => {
    for (let i = 0; i < 1200; i++) {
      const line = out.split('\n').find((l) => l.startsWith(prefix))
      if (line) {
        out = out.replace(`${line}\n`, '')
        return line.slice(prefix.length + 1)
      }
      if (child.exitCode !== null) throw new Error(`server exited: ${out}`)
      await sleep(100)
    }
    throw new Error(`timed out waiting for ${prefix}`)
  }
  try {
    const { host, secret } = JSON.parse(await waitLine('READY'))
    const { default: Stripe } = await import('stripe')
    const webhooks = new Stripe('sk_unused').webhooks
    const agent = new Agent({ keepAlive: true, maxSockets: Math.max(concurrency, 64) })

    const send = (n: number) => {
      const body = JSON.stringify({ id: `evt_bench_${tag}_${n}`, object: 'event', type: 'payment_intent.processing', created: Math.floor(Date.now() / 1000), livemode: false, data: { object: { id: `pi_bench_${n}`, object: 'payment_intent', status: 'processing' } } })
      const signature = webhooks.generateTestHeaderString({ payload: body, secret })
      const started = performance.now()
      return new Promise<{ ms: number; status: number }>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path: '/webhooks/stripe', method: 'POST', agent, headers: { 'host': host, 'content-type': 'application/json', 'stripe-signature': signature, 'content-length': Buffer.byteLength(body) } }, (res) => {
          res.resume()
          res.on('end', () => resolve({ ms: performance.now() - started, status: res.statusCode ?? 0 }))
        })
        req.on('error', reject)
        req.end(body)
      })
    }

    /* warm-up: compile paths, open connections */
    for (let i = 0; i < 20; i++) await send(-1 - i)

    const loadBefore = loadavg()[0]
    const total = rate * seconds
    const pending: Array<Promise<{ ms: number; status: number }>> = []
    const t0 = performance.now()
    for (let i = 0; i < total; i++) {
      const due = t0 + (i * 1000) / rate
      const wait = due - performance.now()
      if (wait > 0) await sleep(wait)
      pending.push(send(i))
    }
    const steady = await Promise.all(pending)
    const steadyMs = steady.map((r) => r.ms).sort((a, b) => a - b)

    let next = total
    const burstResults: number[] = []
    const b0 = performance.now()
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < total + burst) {
          const r = await send(next++)
          burstResults.push(r.status)
        }
      })
    )
    const burstSeconds = (performance.now() - b0) / 1000

    child.stdin!.write('COUNT\n')
    const stored = Number(await waitLine('COUNT'))
    const expected = total + burst + 20
    const failures = [...steady.map((r) => r.status), ...burstResults].filter((s) => s !== 200).length

    console.log(`\nStripe webhook acknowledgement on loopback (verify + store + enqueue; ${dbKind}, jobs queued, no worker)`)
    console.log(`machine: ${cpus()[0]?.model} x${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, ${platform()} ${release()}, Node ${process.versions.node}, load average ${loadBefore.toFixed(1)} before / ${loadavg()[0].toFixed(1)} after\n`)
    const rows = [
      ['phase', 'events', 'p50 ms', 'p99 ms', 'max ms', 'events/s', 'non-200'],
      ['steady', String(total), steadyMs.length ? percentile(steadyMs, 50).toFixed(1) : '-', percentile(steadyMs, 99).toFixed(1), steadyMs[steadyMs.length - 1].toFixed(1), `${rate} offered`, String(steady.filter((r) => r.status !== 200).length)],
      ['burst', String(burst), '-', '-', '-', (burst / burstSeconds).toFixed(0), String(burstResults.filter((s) => s !== 200).length)],
    ]
    const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)))
    for (const row of rows) console.log(row.map((cell, i) => cell.padEnd(widths[i])).join('  '))
    console.log(`\nstored events: ${stored} of ${expected} sent (each exactly once: ${stored === expected && failures === 0 ? 'yes' : 'NO'})`)
    agent.destroy()
  } finally {
    child.kill('SIGINT')
    await new Promise((r) => child.once('exit', r))
    if (dbKind === 'sqlite') for (const suffix of ['', '-wal', '-shm']) rmSync(fileURLToPath(new URL(`${sqlitePath}${suffix}`, APP_ROOT)), { force: true })
  }
}
