/*
| compose.yaml is what self-hosters run first: its services start in a health-gated order, keep
| state in named volumes, and every variable it reads is documented in docs/operations.md.
*/
import { test } from '@japa/runner'
import { readFile } from 'node:fs/promises'
import app from '@adonisjs/core/services/app'
import { parse } from 'yaml'

async function load() {
  const text = await readFile(app.makePath('compose.yaml'), 'utf8')
  return { text, compose: parse(text, { merge: true }) as { services: Record<string, any>; volumes: Record<string, unknown> } }
}

test.group('compose.yaml', () => {
  test('runs web, worker, PostgreSQL and Redis, each start gated on health', async ({ assert }) => {
    const { compose } = await load()
    assert.sameMembers(Object.keys(compose.services), ['web', 'worker', 'postgres', 'redis'])
    assert.deepEqual(compose.services.web.depends_on, {
      postgres: { condition: 'service_healthy' },
      redis: { condition: 'service_healthy' },
    })
    assert.deepEqual(compose.services.worker.depends_on, { web: { condition: 'service_healthy' } })
    assert.exists(compose.services.postgres.healthcheck)
    assert.exists(compose.services.redis.healthcheck)
  })

  test('the worker runs the web image with the worker command, and jobs leave the web process', async ({ assert }) => {
    const { compose } = await load()
    const { web, worker } = compose.services
    assert.equal(worker.image, web.image)
    assert.deepEqual(worker.command, ['node', 'ace', 'queue:work'])
    assert.equal(web.environment.JOBS_IN_PROCESS, 'false')
    assert.equal(worker.environment.REDIS_URL, web.environment.REDIS_URL)
    assert.equal(worker.environment.PG_HOST, 'postgres')
  })

  test('state lives in named volumes and the app containers are read-only', async ({ assert }) => {
    const { compose } = await load()
    for (const name of ['web', 'worker']) {
      assert.isTrue(compose.services[name].read_only, `${name} is read_only`)
      assert.include(compose.services[name].volumes, 'app-data:/data')
    }
    for (const volume of ['app-data', 'postgres-data', 'redis-data']) assert.property(compose.volumes, volume)
  })

  test('every variable it reads is documented in docs/operations.md', async ({ assert }) => {
    const { text } = await load()
    const docs = await readFile(app.makePath('docs/operations.md'), 'utf8')
    const variables = new Set([...text.matchAll(/\$\{([A-Z0-9_]+)/g)].map((m) => m[1]))
    assert.isAbove(variables.size, 5)
    for (const variable of variables) assert.include(docs, `\`${variable}\``, `${variable} is documented`)
  })
})
