/*
| Invoice list API and CSV export at scale:
|   bash bench/run.sh invoices [--rows=1000000] [--tenant-rows=100000] [--duration=10] [--connections=10] [--db=sqlite|pg]
| In a child process on a scratch database (a SQLite file under tmp/, or a fresh PostgreSQL
| schema): migrates, creates 10 tenants and spreads `rows` invoices over them, `tenant-rows` of
| them in the measured tenant (mixed statuses, dates, amounts, two clients). Starts the app's HTTP
| server from source on a free port and runs autocannon against GET /api/v1/invoices (50 rows:
| first page, a deep cursor page, a status filter, a full-text term) with a bearer token. Then
| streams the CSV export of the tenant's invoices to a file in a fresh process whose heap is capped
| at 128 MiB (it can only finish if it streams), sampling RSS and heap every 20 ms.
| Prints p50/p99 latency and req/s per case, export time, rows/s and memory, and the machine.
*/
import { spawn, type ChildProcess } from 'node:child_process'
import { createRequire } from 'node:module'
import { createServer } from 'node:net'
import { request as httpRequest } from 'node:http'
import { createWriteStream, rmSync, statSync } from 'node:fs'
import { pipeline } from 'node:stream/promises'
import { cpus, loadavg, totalmem, platform, release } from 'node:os'
import { fileURLToPath } from 'node:url'
import { bootConsoleApp } from './boot_app.ts'

const APP_ROOT = new URL('../', import.meta.url)
const args = Object.fromEntries(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, '').split('=')
    return [k, v ?? 'true']
  })
)
const ROWS = Number(args.rows ?? 1_000_000)
const TENANT_ROWS = Number(args['tenant-rows'] ?? 100_000)
const DURATION = Number(args.duration ?? 10)
const CONNECTIONS = Number(args.connections ?? 10)
const DB = (args.db ?? process.env.DB_CONNECTION ?? 'sqlite') as 'sqlite' | 'pg'
const TENANTS = 10
const EXPORT_HEAP_MB = 128

interface ExportResult {
  exportSeconds: number
  bytes: number
  rows: number
  baseline: { rss: number; heapUsed: number }
  peakRss: number
  peakHeap: number
}

function log(message: string) {
  process.stderr.write(`==> ${message}\n`)
}

async function runParent() {
  const tag = `${process.pid}`
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    BENCH_INVOICES: '1',
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    DB_CONNECTION: DB,
    SQLITE_PATH: `tmp/bench-invoices-${tag}.sqlite3`,
    PG_SCHEMA: `bench_invoices_${tag}`,
    PG_DB_NAME: process.env.PG_DB_NAME ?? 'test',
    PG_USER: process.env.PG_USER ?? 'postgres',
    JOBS_IN_PROCESS: 'false',
    /* the API rate limiter stays on (its store is part of the cost) but never refuses here */
    API_RATE_LIMIT: '100000000',
    API_RATE_LIMIT_IP: '100000000',
  }
  const child = spawn(process.execPath, ['--import=@poppinss/ts-exec', fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    cwd: fileURLToPath(APP_ROOT),
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  })
  const code: number = await new Promise((resolve) => child.on('exit', (c) => resolve(c ?? 1)))
  for (const suffix of ['', '-wal', '-shm']) rmSync(fileURLToPath(new URL(env.SQLITE_PATH + suffix, APP_ROOT)), { force: true })
  process.exit(code)
}

function freePort() {
  return new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port
      server.close(() => resolve(port))
    })
  })
}

/* fetch() drops a Host header, and the tenant comes from the Host: plain http keeps it */
function get(url: string, headers: Record<string, string>) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = httpRequest(url, { headers }, (res) => {
      let body = ''
      res.on('data', (d) => (body += d))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

/** Signs in through the real login form and returns the session cookies, for the HTML page case */
async function signInCookies(base: string, host: string, email: string, password: string) {
  const cookiesOf = (res: import('node:http').IncomingMessage) =>
    (res.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ')
  const form = await new Promise<{ cookies: string; csrf: string }>((resolve, reject) => {
    httpRequest(`${base}/login`, { headers: { host } }, (res) => {
      let body = ''
      res.on('data', (d) => (body += d))
      res.on('end', () => resolve({ cookies: cookiesOf(res), csrf: /name=["']_csrf["']\s+value=["']([^"']+)["']/.exec(body)?.[1] ?? '' }))
    })
      .on('error', reject)
      .end()
  })
  const payload = new URLSearchParams({ _csrf: form.csrf, email, password }).toString()
  return new Promise<string>((resolve, reject) => {
    const req = httpRequest(
      `${base}/login`,
      { method: 'POST', headers: { host, cookie: form.cookies, 'content-type': 'application/x-www-form-urlencoded' } },
      (res) => {
        res.resume()
        if (res.statusCode !== 302 || res.headers.location?.includes('/login')) reject(new Error(`sign-in failed: ${res.statusCode} ${res.headers.location}`))
        else resolve(cookiesOf(res))
      }
    )
    req.on('error', reject)
    req.end(payload)
  })
}

async function waitFor(url: string, host: string, ms = 60_000) {
  const until = Date.now() + ms
  while (Date.now() < until) {
    try {
      const response = await get(url, { host })
      if (response.status < 500) return
    } catch {}
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new Error(`server did not answer at ${url}`)
}

type AutocannonResult = { requests: { average: number }; latency: { p50: number; p99: number }; non2xx: number; errors: number; timeouts: number }
const autocannon = createRequire(import.meta.url)('autocannon') as (o: Record<string, unknown>) => Promise<AutocannonResult>

async function runChild() {
  const app = await bootConsoleApp(APP_ROOT)
  const { default: db } = await import('@adonisjs/lucid/services/db')
  const { MigrationRunner } = await import('@adonisjs/lucid/migration')
  const { createTenant } = await import('#services/tenant_service')
  const { default: User } = await import('#models/user')

  if (DB === 'pg') {
    await db.rawQuery(`drop schema if exists "${process.env.PG_SCHEMA}" cascade`)
    await db.rawQuery(`create schema "${process.env.PG_SCHEMA}"`)
  }
  const migrator = new MigrationRunner(db, app, { direction: 'up', dryRun: false })
  await migrator.run()
  if (migrator.error) throw migrator.error

  log(`seeding ${ROWS.toLocaleString('en')} invoices over ${TENANTS} tenants (${TENANT_ROWS.toLocaleString('en')} in the measured one)`)
  const seedStarted = performance.now()
  const stamp = new Date().toISOString().slice(0, 19).replace('T', ' ')
  const tenants: Array<{ id: number; slug: string; ownerId: number; clients: number[] }> = []
  for (let i = 0; i < TENANTS; i++) {
    const slug = `bench${i}-${process.pid}`
    const { tenant, owner } = await createTenant({ slug, name: `Bench ${i}`, ownerEmail: `owner@${slug}.test`, ownerPassword: 'bench-owner-password', ownerName: 'Bench' })
    const clients: number[] = []
    for (const name of ['Acme GmbH', 'Globex Corporation']) {
      const [row] = await db
        .table('invoicing_clients')
        .insert({ tenant_id: tenant.id, kind: 'company', name, currency: 'EUR', language: 'en', created_at: stamp, updated_at: stamp })
        .returning('id')
      clients.push(Number(typeof row === 'object' ? row.id : row))
    }
    tenants.push({ id: tenant.id, slug, ownerId: owner.id, clients })
  }
  const statuses = ['draft', 'finalized', 'sent', 'viewed', 'partially_paid', 'paid', 'paid', 'paid', 'void', 'written_off']
  const perOther = Math.floor((ROWS - TENANT_ROWS) / (TENANTS - 1))
  const CHUNK = DB === 'pg' ? 1000 : 500
  for (const [index, tenant] of tenants.entries()) {
    const count = index === 0 ? TENANT_ROWS : perOther
    for (let start = 0; start < count; start += CHUNK) {
      const rows: Array<Record<string, unknown>> = []
      for (let n = start; n < Math.min(count, start + CHUNK); n++) {
        const status = statuses[n % statuses.length]
        const day = new Date(Date.UTC(2024, 0, 1) + (n % 730) * 86_400_000).toISOString().slice(0, 10)
        const due = new Date(Date.UTC(2024, 0, 15) + (n % 730) * 86_400_000).toISOString().slice(0, 10)
        const net = 1000 + ((n * 7919) % 500_000)
        const tax = Math.round(net * 0.19)
        const total = net + tax
        const paid = status === 'paid' ? total : status === 'partially_paid' ? Math.floor(total / 2) : 0
        const open = ['finalized', 'sent', 'viewed', 'partially_paid'].includes(status)
        rows.push({
          tenant_id: tenant.id,
          type: 'invoice',
          status,
          client_id: tenant.clients[n % 2],
          client_name: n % 2 ? 'Globex Corporation' : 'Acme GmbH',
          number: status === 'draft' ? null : `INV-${day.slice(0, 4)}-${String(n + 1).padStart(6, '0')}`,
          currency: 'EUR',
          issue_date: day,
          due_date: due,
          order_reference: `PO-${n}`,
          subtotal: net,
          net_total: net,
          tax_total: tax,
          total,
          amount_paid: paid,
          balance_due: open ? total - paid : 0,
          created_at: stamp,
          updated_at: stamp,
        })
      }
      await db.transaction(async (trx) => {
        await trx.table('invoicing_documents').multiInsert(rows)
      })
    }
  }
  await db.rawQuery('analyze')
  const seedSeconds = (performance.now() - seedStarted) / 1000
  const total = Number((await db.from('invoicing_documents').count('* as n'))[0].n)
  log(`seeded ${total.toLocaleString('en')} rows in ${seedSeconds.toFixed(1)} s`)

  const measured = tenants[0]
  const owner = await User.forTenant(measured.id).where('id', measured.ownerId).firstOrFail()
  const token = (await User.accessTokens.create(owner, ['*'])).value!.release()
  const host = `${measured.slug}.localhost`

  /* the HTTP server from source, in its own process, on the same scratch database */
  const port = await freePort()
  const server: ChildProcess = spawn(process.execPath, ['--import=@poppinss/ts-exec', 'bin/server.ts'], {
    cwd: fileURLToPath(APP_ROOT),
    /* production mode like a real install: compiled Edge templates are cached (not recompiled per request) */
    env: { ...process.env, NODE_ENV: 'production', BENCH_INVOICES: '', PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  const base = `http://127.0.0.1:${port}`
  try {
    await waitFor(`${base}/health/live`, host)
    log(`server up on ${base}`)
    const headers = { host, authorization: `Bearer ${token}` }
    /* a cursor half-way down the list (row 50,000 of 100,000), taken by walking there 100 rows at a time */
    let cursor: string | null = null
    const deepRow = Math.floor(TENANT_ROWS / 200) * 100
    for (let i = 0; i < deepRow / 100; i++) {
      const r = await get(`${base}/api/v1/invoices?limit=100${cursor ? `&cursor=${cursor}` : ''}`, headers)
      if (r.status !== 200) throw new Error(`walking to a deep page: ${r.status} ${r.body.slice(0, 200)}`)
      cursor = JSON.parse(r.body).next_cursor
      if (!cursor) break
    }
    const cases: Array<[string, string]> = [
      ['first page (sort -issue_date)', '/api/v1/invoices?limit=50'],
      [`deep page (cursor at row ${deepRow.toLocaleString('en')})`, `/api/v1/invoices?limit=50&cursor=${cursor}`],
      ['status=overdue', '/api/v1/invoices?limit=50&status=overdue'],
      ['client + sort -total', `/api/v1/invoices?limit=50&client_id=${measured.clients[1]}&sort=-total`],
      ['q=po-4242 (full text)', '/api/v1/invoices?limit=50&q=po-4242'],
    ]
    log('deep cursor taken')
    const results: Array<{ name: string; r: AutocannonResult }> = []
    for (const [name, path] of cases) {
      const check = await get(base + path, headers)
      if (check.status !== 200 || !Array.isArray(JSON.parse(check.body).data)) throw new Error(`${name}: ${check.status} ${check.body.slice(0, 200)}`)
      await autocannon({ url: base + path, connections: CONNECTIONS, duration: 2, headers })
      const r = await autocannon({ url: base + path, connections: CONNECTIONS, duration: DURATION, headers })
      if (r.non2xx || r.errors || r.timeouts) throw new Error(`${name}: ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts`)
      results.push({ name, r })
      log(`${name}: ${r.requests.average.toFixed(0)} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms`)
    }

    /* the staff list page a person sees (HTML, first page, signed in through the form) */
    const cookie = await signInCookies(base, host, owner.email, 'bench-owner-password')
    for (const [name, path] of [['HTML page /app/invoicing/invoices (first page)', '/app/invoicing/invoices']]) {
      const pageHeaders = { host, cookie }
      const check = await get(base + path, pageHeaders)
      if (check.status !== 200 || !check.body.includes('invoicing-invoices-list')) throw new Error(`${name}: ${check.status}`)
      await autocannon({ url: base + path, connections: CONNECTIONS, duration: 2, headers: pageHeaders })
      const r = await autocannon({ url: base + path, connections: CONNECTIONS, duration: DURATION, headers: pageHeaders })
      if (r.non2xx || r.errors || r.timeouts) throw new Error(`${name}: ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts`)
      results.push({ name, r })
      log(`${name}: ${r.requests.average.toFixed(0)} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms`)
    }

    /* CSV export in a fresh process with a 128 MiB heap cap: it only finishes if it streams */
    const exported = await new Promise<ExportResult>((resolve, reject) => {
      const proc = spawn(process.execPath, [`--max-old-space-size=${EXPORT_HEAP_MB}`, '--import=@poppinss/ts-exec', fileURLToPath(import.meta.url)], {
        cwd: fileURLToPath(APP_ROOT),
        env: { ...process.env, BENCH_INVOICES: '', BENCH_INVOICES_EXPORT: String(measured.id) },
        stdio: ['ignore', 'pipe', 'inherit'],
      })
      let out = ''
      proc.stdout.on('data', (d) => (out += d))
      proc.on('exit', (code) => {
        const line = out.split('\n').find((l) => l.startsWith('RESULT '))
        if (code !== 0 || !line) return reject(new Error(`export failed (${code}): ${out}`))
        resolve(JSON.parse(line.slice(7)))
      })
    })
    const { exportSeconds, bytes, baseline, peakRss, peakHeap } = exported

    const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MiB`
    const lines = [
      '',
      `# Invoices at scale (${DB}): ${total.toLocaleString('en')} invoices, ${TENANT_ROWS.toLocaleString('en')} in the tenant; seeded in ${seedSeconds.toFixed(0)} s`,
      '',
      `GET /api/v1/invoices (50 rows) and the staff list page (25 rows), ${CONNECTIONS} connections, ${DURATION} s each:`,
      '| case | req/s | p50 ms | p99 ms |',
      '| --- | ---: | ---: | ---: |',
      ...results.map(({ name, r }) => `| ${name} | ${r.requests.average.toFixed(0)} | ${r.latency.p50} | ${r.latency.p99} |`),
      '',
      `CSV export of ${TENANT_ROWS.toLocaleString('en')} invoices (streamed, keyset pages of 1,000): ${exportSeconds.toFixed(1)} s, ` +
        `${Math.round(TENANT_ROWS / exportSeconds).toLocaleString('en')} rows/s, ${(bytes / 1024 / 1024).toFixed(1)} MiB written; ` +
        `in a process capped at a ${EXPORT_HEAP_MB} MiB heap: RSS ${mb(baseline.rss)} after boot, peak ${mb(peakRss)} (+${mb(peakRss - baseline.rss)}); heap ${mb(baseline.heapUsed)} after boot, peak ${mb(peakHeap)}`,
      '',
      `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 1024 ** 3).toFixed(1)} GiB RAM, ${platform()} ${release()}, Node ${process.version}, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`,
    ]
    process.stdout.write(lines.join('\n') + '\n')
  } finally {
    server.kill('SIGTERM')
    if (DB === 'pg') await db.rawQuery(`drop schema if exists "${process.env.PG_SCHEMA}" cascade`)
    await app.terminate()
  }
}

/* The export on its own: boot, stream the tenant's invoices to a file, report time and memory */
async function runExport(tenantId: number) {
  const app = await bootConsoleApp(APP_ROOT)
  const { exportCsv } = await import('../plugins/invoicing/services/export.ts')
  const file = fileURLToPath(new URL(`tmp/bench-invoices-${process.pid}.csv`, APP_ROOT))
  const baseline = process.memoryUsage()
  let peakRss = baseline.rss
  let peakHeap = baseline.heapUsed
  const sampler = setInterval(() => {
    const m = process.memoryUsage()
    peakRss = Math.max(peakRss, m.rss)
    peakHeap = Math.max(peakHeap, m.heapUsed)
  }, 20)
  const started = performance.now()
  await pipeline(exportCsv(tenantId, 'invoice'), createWriteStream(file))
  const exportSeconds = (performance.now() - started) / 1000
  clearInterval(sampler)
  const bytes = statSync(file).size
  rmSync(file, { force: true })
  const result: ExportResult = { exportSeconds, bytes, rows: TENANT_ROWS, baseline: { rss: baseline.rss, heapUsed: baseline.heapUsed }, peakRss, peakHeap }
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`)
  await app.terminate()
}

if (process.env.BENCH_INVOICES_EXPORT) {
  await runExport(Number(process.env.BENCH_INVOICES_EXPORT))
} else if (process.env.BENCH_INVOICES) {
  await runChild()
} else {
  await runParent()
}
