/*
| HTTP throughput of the production build on loopback:
|   bash bench/run.sh http [--duration=10] [--connections=10] [--reuse-build]
| Builds the app (`node ace build`; --reuse-build keeps an existing build/), starts it on a
| scratch SQLite file with the seeded demo tenant on a free port, signs in through the login form,
| creates an API token on the settings page, then runs autocannon against: a bare route through
| the full middleware stack (GET /health/live), the signed-in dashboard shell (GET /app) and
| GET /api/v1/me with the bearer token. Prints req/s, p50, p99, each ratio to the bare route, and
| the machine. autocannon shares the machine with the server: on few cores, it competes for CPU.
*/
import { spawn, type ChildProcess } from 'node:child_process'
import { createRequire } from 'node:module'
import { createServer } from 'node:net'
import { request as httpRequest } from 'node:http'
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs'
import { once } from 'node:events'
import { randomBytes } from 'node:crypto'
import { cpus, loadavg, totalmem, platform, release } from 'node:os'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../', import.meta.url))
const BUILD = `${ROOT}build/`
const args = Object.fromEntries(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, '').split('=')
    return [k, v ?? 'true']
  })
)
const DURATION = Number(args.duration ?? 10)
const CONNECTIONS = Number(args.connections ?? 10)
const WARMUP = 2
const TENANT_HOST = 'demo.localhost'
const OWNER = { email: 'owner@demo.test', password: 'demo-owner-password' }

type AutocannonResult = {
  requests: { average: number }
  latency: { p50: number; p99: number }
  non2xx: number
  errors: number
  timeouts: number
}
type Autocannon = (options: {
  url: string
  connections: number
  duration: number
  headers: Record<string, string>
}) => Promise<AutocannonResult>
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon

function log(message: string) {
  process.stderr.write(`==> ${message}\n`)
}

function run(command: string, argv: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }) {
  return new Promise<string>((resolve, reject) => {
    const child = spawn(command, argv, { cwd: options.cwd, env: options.env ?? process.env })
    let output = ''
    child.stdout.on('data', (d) => (output += d))
    child.stderr.on('data', (d) => (output += d))
    child.on('exit', (code) =>
      code === 0 ? resolve(output) : reject(new Error(`${command} ${argv.join(' ')} failed (${code}):\n${output}`))
    )
  })
}

function freePort() {
  return new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port
      server.close(() => resolve(port))
    })
  })
}

type Response = { status: number; headers: Record<string, string | string[] | undefined>; body: string }

/** A plain HTTP request that can set Host and keeps cookies in `jar` */
function request(
  port: number,
  method: string,
  path: string,
  jar: Map<string, string>,
  options: { form?: Record<string, string | string[]>; headers?: Record<string, string> } = {}
) {
  const body = options.form
    ? Object.entries(options.form)
        .flatMap(([k, v]) => [v].flat().map((item) => `${encodeURIComponent(k)}=${encodeURIComponent(item)}`))
        .join('&')
    : undefined
  const headers: Record<string, string> = { host: TENANT_HOST, ...options.headers }
  if (jar.size) headers.cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ')
  if (body) {
    headers['content-type'] = 'application/x-www-form-urlencoded'
    headers['content-length'] = String(Buffer.byteLength(body))
  }
  return new Promise<Response>((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (d) => (text += d))
      res.on('end', () => {
        for (const cookie of [res.headers['set-cookie'] ?? []].flat()) {
          const [pair] = cookie.split(';')
          const at = pair.indexOf('=')
          const value = pair.slice(at + 1)
          if (/max-age=0|expires=thu, 01 jan 1970/i.test(cookie) || value === '') jar.delete(pair.slice(0, at))
          else jar.set(pair.slice(0, at), value)
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text })
      })
    })
    req.on('error', reject)
    req.end(body)
  })
}

function csrfToken(html: string) {
  const input = html.match(/<input[^>]*name=["']_csrf["'][^>]*>/)?.[0]
  const value = input?.match(/value=["']([^"']+)["']/)?.[1]
  if (!value) throw new Error('no _csrf field on the page')
  return value
}

function decodeEntities(value: string) {
  return value
    .replace(/&#x([0-9a-f]+);/gi, (_, hex) => String.fromCharCode(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, dec) => String.fromCharCode(Number(dec)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
}

async function build() {
  if (args['reuse-build'] && existsSync(`${BUILD}bin/server.js`)) {
    log('reusing the existing build/')
    return null
  }
  log('node ace build')
  const started = performance.now()
  try {
    await run(process.execPath, ['ace', 'build'], { cwd: ROOT })
  } catch (error) {
    throw new Error(`the build failed (a type error?); --reuse-build uses an existing build/\n${(error as Error).message}`)
  }
  return (performance.now() - started) / 1000
}

async function startServer(env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, ['bin/server.js'], { cwd: BUILD, env, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stderr!.on('data', (d) => (output += d))
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start:\n${output}`)), 30_000)
    child.stdout!.on('data', (d) => {
      output += d
      if (output.includes('started HTTP server')) {
        clearTimeout(timer)
        resolve()
      }
    })
    child.on('exit', () => reject(new Error(`the server exited during start:\n${output}`)))
  })
  return child
}

async function signIn(port: number) {
  const jar = new Map<string, string>()
  const loginPage = await request(port, 'GET', '/login', jar)
  if (loginPage.status !== 200) throw new Error(`GET /login answered ${loginPage.status}`)
  const login = await request(port, 'POST', '/login', jar, {
    form: { _csrf: csrfToken(loginPage.body), email: OWNER.email, password: OWNER.password },
  })
  if (login.status !== 302 || login.headers.location !== '/app') {
    throw new Error(`signing in answered ${login.status} to ${login.headers.location}`)
  }
  const dashboard = await request(port, 'GET', '/app', jar)
  if (dashboard.status !== 200) throw new Error(`GET /app after signing in answered ${dashboard.status}`)
  return jar
}

async function createToken(port: number, jar: Map<string, string>) {
  const page = await request(port, 'GET', '/app/settings/tokens', jar)
  if (page.status !== 200) throw new Error(`GET /app/settings/tokens answered ${page.status}`)
  const created = await request(port, 'POST', '/app/settings/tokens', jar, {
    form: { '_csrf': csrfToken(page.body), 'name': 'bench', 'scopes[]': '*' },
  })
  if (created.status !== 302) throw new Error(`creating a token answered ${created.status}`)
  const shown = await request(port, 'GET', '/app/settings/tokens', jar)
  const match = shown.body.match(/id="kernel-tokens-secret"[^>]*\svalue="([^"]+)"/)
  if (!match) throw new Error('the settings page did not show the new token')
  return decodeEntities(match[1])
}

async function measure(port: number, path: string, headers: Record<string, string>) {
  const url = `http://127.0.0.1:${port}${path}`
  await autocannon({ url, connections: CONNECTIONS, duration: WARMUP, headers })
  const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION, headers })
  if (result.non2xx || result.errors || result.timeouts) {
    throw new Error(
      `${path}: ${result.non2xx} non-2xx answers, ${result.errors} errors, ${result.timeouts} timeouts`
    )
  }
  return result
}

function rssMiB(child: ChildProcess) {
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8')
  const kb = Number(status.match(/VmRSS:\s+(\d+)/)?.[1] ?? 0)
  return kb / 1024
}

function table(rows: string[][]) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)))
  return rows.map((row) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  '))
}

const buildSeconds = await build()
if (!existsSync(`${BUILD}node_modules`)) {
  /* The project's own install: same versions as `npm ci --omit=dev` would give, no 30 s install */
  symlinkSync('../node_modules', `${BUILD}node_modules`)
}

const port = await freePort()
mkdirSync(`${ROOT}tmp`, { recursive: true })
const sqliteFile = `tmp/bench-http-${process.pid}.sqlite3`
const env: NodeJS.ProcessEnv = {
  PATH: process.env.PATH,
  NODE_ENV: 'production',
  PORT: String(port),
  HOST: '127.0.0.1',
  APP_KEY: randomBytes(32).toString('base64url'),
  APP_URL: `http://localhost:${port}`,
  APP_DOMAIN: 'localhost',
  LOG_LEVEL: 'warn',
  DB_CONNECTION: 'sqlite',
  SQLITE_PATH: `../${sqliteFile}`,
  SESSION_DRIVER: 'cookie',
  /* The API rate limiter stays on (its store is part of the cost) but never refuses here */
  API_RATE_LIMIT: '100000000',
  API_RATE_LIMIT_IP: '100000000',
}

let server: ChildProcess | undefined
try {
  log('migrate and seed the demo tenant')
  await run(process.execPath, ['ace', 'migration:run', '--force'], { cwd: BUILD, env })
  await run(process.execPath, ['ace', 'db:seed'], { cwd: BUILD, env })

  log(`start the server on 127.0.0.1:${port}`)
  server = await startServer({ ...env, LOG_LEVEL: 'info' })

  log('sign in and create an API token')
  const jar = await signIn(port)
  const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ')
  const token = await createToken(port, jar)
  const me = await request(port, 'GET', '/api/v1/me', new Map(), { headers: { authorization: `Bearer ${token}` } })
  const apiNote = me.status === 200 ? null : `GET /api/v1/me answered ${me.status}: not measured`

  const cases: { name: string; path: string; headers: Record<string, string> }[] = [
    { name: 'GET /health/live (bare, full middleware)', path: '/health/live', headers: { host: TENANT_HOST } },
    { name: 'GET /app (signed-in dashboard shell)', path: '/app', headers: { host: TENANT_HOST, cookie } },
  ]
  if (!apiNote) {
    cases.push({
      name: 'GET /api/v1/me (bearer token)',
      path: '/api/v1/me',
      headers: { host: TENANT_HOST, authorization: `Bearer ${token}` },
    })
  }

  const results: { name: string; result: AutocannonResult }[] = []
  for (const c of cases) {
    log(`${c.name}: ${WARMUP} s warm-up, ${DURATION} s measured`)
    results.push({ name: c.name, result: await measure(port, c.path, c.headers) })
  }
  const rss = rssMiB(server)

  const stopStarted = performance.now()
  server.kill('SIGTERM')
  const [exitCode] = await once(server, 'exit')
  const stopMs = performance.now() - stopStarted
  server = undefined

  const bare = results[0].result.requests.average
  const cpu = cpus()
  console.log(`\nHTTP throughput, production build on SQLite, loopback, ${CONNECTIONS} connections, ${DURATION} s per case`)
  console.log(
    `machine: ${cpu[0]?.model} x${cpu.length}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, ${platform()} ${release()}, ` +
      `Node ${process.versions.node}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}\n`
  )
  const rows = [
    ['case', 'req/s', 'p50 ms', 'p99 ms', 'vs bare'],
    ...results.map(({ name, result }) => [
      name,
      result.requests.average.toFixed(0),
      String(result.latency.p50),
      String(result.latency.p99),
      `${(result.requests.average / bare).toFixed(2)}x`,
    ]),
  ]
  for (const line of table(rows)) console.log(line)
  if (apiNote) console.log(`\nnote: ${apiNote}`)
  console.log(
    `\nserver RSS after the run: ${rss.toFixed(0)} MiB; SIGTERM to exit: ${stopMs.toFixed(0)} ms (exit code ${exitCode})` +
      (buildSeconds === null ? '' : `; node ace build: ${buildSeconds.toFixed(1)} s`)
  )
} finally {
  server?.kill('SIGKILL')
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${ROOT}${sqliteFile}${suffix}`, { force: true })
}
