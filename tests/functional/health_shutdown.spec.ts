/*
| Graceful shutdown of the real server process (bin/server.ts in a child process on the test
| database): in-flight requests finish, idle connections close, the listener refuses, and the
| deadline cuts a request that never ends.
*/
import { test } from '@japa/runner'
import { spawn, type ChildProcess } from 'node:child_process'
import { connect, createServer, type Socket } from 'node:net'
import { once } from 'node:events'
import { request } from 'node:http'
import app from '@adonisjs/core/services/app'
import { makeTenant, PASSWORD } from '#tests/helpers/tenants'

function freePort() {
  return new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port
      server.close(() => resolve(port))
    })
  })
}

type Server = {
  child: ChildProcess
  port: number
  exit: Promise<{ code: number | null; at: number }>
  output: () => string
}

async function startServer(env: Record<string, string> = {}): Promise<Server> {
  const port = await freePort()
  const child = spawn(process.execPath, ['--import=@poppinss/ts-exec', 'bin/server.ts'], {
    cwd: app.makePath(),
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const exit = once(child, 'exit').then(([code]) => ({ code: code as number | null, at: performance.now() }))
  let output = ''
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 15_000)
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      if (output.includes('started HTTP server')) {
        clearTimeout(timer)
        resolve()
      }
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()))
    exit.then(() => reject(new Error(`server exited during start:\n${output}`)))
  })
  return { child, port, exit, output: () => output }
}

type RawResponse = { text: string; closedAt: Promise<number> }

/** A raw HTTP/1.1 connection, so the test controls when each byte of the request is sent */
async function openConnection(port: number): Promise<Socket & { response: RawResponse }> {
  const socket = connect(port, '127.0.0.1') as Socket & { response: RawResponse }
  await once(socket, 'connect')
  const response: RawResponse = {
    text: '',
    closedAt: once(socket, 'close').then(() => performance.now()),
  }
  socket.on('data', (chunk) => (response.text += chunk.toString()))
  socket.on('error', () => {})
  socket.response = response
  return socket
}

function refusesConnections(port: number) {
  return new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1')
    socket.on('connect', () => {
      socket.destroy()
      resolve(false)
    })
    socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'))
  })
}

/** Signs in through the login form of the child server; returns its cookies */
async function signIn(port: number, host: string, email: string) {
  const cookies = new Map<string, string>()
  const send = (method: string, path: string, body?: string) =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const headers: Record<string, string> = { host, cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') }
      if (body) headers['content-type'] = 'application/x-www-form-urlencoded'
      const req = request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
        for (const cookie of [res.headers['set-cookie'] ?? []].flat()) {
          const [pair] = cookie.split(';')
          cookies.set(pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1))
        }
        let text = ''
        res.on('data', (chunk) => (text += chunk))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }))
      })
      req.on('error', reject)
      req.end(body)
    })
  const page = await send('GET', '/login')
  const csrf = page.text.match(/<input[^>]*name=["']_csrf["'][^>]*>/)?.[0].match(/value=["']([^"']+)/)?.[1]
  const form = new URLSearchParams({ _csrf: csrf ?? '', email, password: PASSWORD })
  const login = await send('POST', '/login', form.toString())
  if (login.status !== 302) throw new Error(`signing in answered ${login.status}`)
  return [...cookies].map(([k, v]) => `${k}=${v}`).join('; ')
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Waits until the raw response text matches, so a slow machine does not fail the test */
async function responseMatching(socket: { response: RawResponse }, pattern: RegExp) {
  const deadline = performance.now() + 5000
  while (!pattern.test(socket.response.text) && performance.now() < deadline) await sleep(20)
  return socket.response.text
}

test.group('Graceful shutdown', () => {
  test('SIGTERM finishes an in-flight request, closes idle connections and exits 0', async ({
    assert,
  }) => {
    const t = await makeTenant()
    const server = await startServer()
    try {
      const idle = await openConnection(server.port)
      idle.write(`GET /health/live HTTP/1.1\r\nHost: ${t.host}\r\n\r\n`)
      assert.match(await responseMatching(idle, /^HTTP\/1\.1 200[\s\S]*"ok"/), /^HTTP\/1\.1 200/)

      /*
       * A first answer proves the server accepted this connection; then a request whose body
       * arrives slowly is still being read when the signal comes.
       */
      const inflight = await openConnection(server.port)
      inflight.write(`GET /health/live HTTP/1.1\r\nHost: ${t.host}\r\n\r\n`)
      await responseMatching(inflight, /"ok"/)
      inflight.response.text = ''
      const body = 'email=a%40b.test&password=xxxxxxxx'
      inflight.write(
        `POST /login HTTP/1.1\r\nHost: ${t.host}\r\nContent-Type: application/x-www-form-urlencoded\r\n` +
          `Content-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`
      )
      await sleep(500)

      const signalledAt = performance.now()
      server.child.kill('SIGTERM')
      await sleep(300)
      assert.isTrue(await refusesConnections(server.port), 'the listener should be closed')
      assert.isBelow((await idle.response.closedAt) - signalledAt, 1000, 'idle keep-alive closed')
      assert.equal(inflight.response.text, '', 'the in-flight request is still open')

      const sentAt = performance.now()
      inflight.write(body.slice(10))
      const closedAt = await inflight.response.closedAt
      assert.match(inflight.response.text, /^HTTP\/1\.1 302 /)
      assert.isBelow(closedAt - sentAt, 1000, 'its connection closes after the response')

      const { code, at } = await server.exit
      assert.equal(code, 0, server.output())
      assert.isBelow(at - closedAt, 2000, 'exits soon after the last response')
      assert.isBelow(at - signalledAt, 10_000)
    } finally {
      server.child.kill('SIGKILL')
    }
  }).timeout(30_000)

  test('the shutdown deadline cuts a request that never finishes and exits 1', async ({
    assert,
  }) => {
    const t = await makeTenant()
    const server = await startServer({ SHUTDOWN_TIMEOUT_MS: '1500' })
    try {
      const stuck = await openConnection(server.port)
      stuck.write(`GET /health/live HTTP/1.1\r\nHost: ${t.host}\r\n\r\n`)
      await responseMatching(stuck, /"ok"/)
      stuck.write(
        `POST /login HTTP/1.1\r\nHost: ${t.host}\r\nContent-Type: application/x-www-form-urlencoded\r\n` +
          `Content-Length: 1000\r\n\r\nemail=`
      )
      await sleep(500)
      const signalledAt = performance.now()
      server.child.kill('SIGTERM')
      const cutAt = await stuck.response.closedAt
      const { code, at } = await server.exit
      assert.equal(code, 1, server.output())
      assert.isAbove(cutAt - signalledAt, 1400, `${stuck.response.text}\n${server.output()}`)
      assert.isBelow(at - signalledAt, 3500)
    } finally {
      server.child.kill('SIGKILL')
    }
  }).timeout(30_000)

  test('SIGTERM ends event streams (SSE) instead of waiting for the deadline', async ({ assert }) => {
    const t = await makeTenant()
    const server = await startServer({ SHUTDOWN_TIMEOUT_MS: '6000' })
    try {
      const cookie = await signIn(server.port, t.host, t.owner.email)
      const stream = await openConnection(server.port)
      stream.write(
        `GET /__transmit/events?uid=shutdown-test HTTP/1.1\r\nHost: ${t.host}\r\n` +
          `Accept: text/event-stream\r\nCookie: ${cookie}\r\n\r\n`
      )
      assert.match(await responseMatching(stream, /text\/event-stream/i), /^HTTP\/1\.1 200/)

      const signalledAt = performance.now()
      server.child.kill('SIGTERM')
      const closedAt = await stream.response.closedAt
      const { code, at } = await server.exit
      assert.equal(code, 0, server.output())
      assert.isBelow(closedAt - signalledAt, 1000, 'the stream ends at once')
      assert.isBelow(at - signalledAt, 3000)
    } finally {
      server.child.kill('SIGKILL')
    }
  }).timeout(30_000)
})
