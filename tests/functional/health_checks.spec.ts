import { test } from '@japa/runner'
import { createServer } from 'node:net'
import db from '@adonisjs/lucid/services/db'
import redis from '@adonisjs/redis/services/main'
import { RedisConnection } from '@adonisjs/redis'
import env from '#start/env'
import { redisOptionsFromUrl } from '#config/redis'
import { makeTenant } from '#tests/helpers/tenants'

/** A loopback port nothing listens on: bound, then released */
function closedPort() {
  return new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port
      server.close(() => resolve(port))
    })
  })
}

test.group('Health: liveness', () => {
  test('live answers 200 on any host, without a tenant', async ({ client, assert }) => {
    const t = await makeTenant()
    for (const host of ['localhost', 'unknown-tenant.localhost', t.host]) {
      const response = await client.get('/health/live').header('host', host)
      response.assertStatus(200)
      response.assertBody({ status: 'ok' })
      response.assertHeader('cache-control', 'no-store')
    }
    const noHost = await client.get('/health/live')
    assert.equal(noHost.status(), 200)
  })
})

test.group('Health: readiness', () => {
  test('ready answers 200 when the database (and Redis, when configured) answer', async ({
    client,
    assert,
  }) => {
    const response = await client.get('/health/ready').header('host', 'unknown-tenant.localhost')
    response.assertStatus(200)
    response.assertHeader('cache-control', 'no-store')
    const body = response.body()
    assert.equal(body.status, 'ok')
    assert.deepInclude(body.checks, { name: 'database', status: 'ok', message: 'reachable' })
    const names = body.checks.map((c: { name: string }) => c.name)
    assert.deepEqual(names, env.get('REDIS_URL') ? ['database', 'redis'] : ['database'])
    if (env.get('REDIS_URL')) {
      assert.deepInclude(body.checks, { name: 'redis', status: 'ok', message: 'reachable' })
    }
  })

  test('ready answers 503 quickly when Redis is unreachable, without leaking its URL', async ({
    client,
    assert,
    cleanup,
  }) => {
    const port = await closedPort()
    const url = `redis://:hunter2-secret@127.0.0.1:${port}/0`
    const previousUrl = env.get('REDIS_URL')
    const previousConnection = redis.activeConnections.main
    const unreachable = new RedisConnection('main', {
      ...redis.managerConfig.connections.main,
      ...redisOptionsFromUrl(url),
    })
    env.set('REDIS_URL', url)
    redis.activeConnections.main = unreachable
    cleanup(async () => {
      env.set('REDIS_URL', previousUrl ?? '')
      redis.activeConnections.main = previousConnection
      unreachable.ioConnection.disconnect()
    })

    const started = performance.now()
    const response = await client.get('/health/ready').header('host', 'localhost')
    const elapsed = performance.now() - started

    response.assertStatus(503)
    assert.isBelow(elapsed, 2500)
    const body = response.body()
    assert.equal(body.status, 'error')
    assert.deepInclude(body.checks, { name: 'database', status: 'ok', message: 'reachable' })
    assert.deepInclude(body.checks, {
      name: 'redis',
      status: 'error',
      message: 'redis unreachable',
      code: 'ECONNREFUSED',
    })
    const text = response.text()
    for (const secret of ['hunter2-secret', 'redis://', String(port), '127.0.0.1']) {
      assert.notInclude(text, secret)
    }
  })

  test('ready answers 503 when the database is unreachable, without leaking where it is', async ({
    client,
    assert,
    cleanup,
  }) => {
    const port = await closedPort()
    const previousPrimary = db.primaryConnectionName
    db.manager.add('health_unreachable', {
      client: 'pg',
      connection: { host: '127.0.0.1', port, user: 'nobody', password: 'db-secret-pw', database: 'x' },
    })
    db.primaryConnectionName = 'health_unreachable'
    cleanup(async () => {
      db.primaryConnectionName = previousPrimary
      await db.manager.release('health_unreachable')
    })

    const response = await client.get('/health/ready').header('host', 'localhost')
    db.primaryConnectionName = previousPrimary

    response.assertStatus(503)
    const body = response.body()
    assert.equal(body.status, 'error')
    assert.deepInclude(body.checks, {
      name: 'database',
      status: 'error',
      message: 'database unreachable',
      code: 'ECONNREFUSED',
    })
    const text = response.text()
    for (const secret of ['db-secret-pw', 'nobody', String(port), '127.0.0.1']) {
      assert.notInclude(text, secret)
    }
  })
})
