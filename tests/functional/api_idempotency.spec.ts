import { test } from '@japa/runner'
import router from '@adonisjs/core/services/router'
import db from '@adonisjs/lucid/services/db'
import vine from '@vinejs/vine'
import { DateTime } from 'luxon'
import { middleware } from '#start/kernel'
import User from '#models/user'
import { makeTenant, type TestTenant } from '#tests/helpers/tenants'
import { assertProblem, tokenFor } from '#tests/helpers/api'
import { documentIdempotency, kernelDocument, mergeFragment } from '#api/openapi'
import type { ApiClient } from '@japa/api-client'

/* A test-only POST behind the real `api` middleware that counts how often it really ran */
let executions = 0
const orderValidator = vine.create(vine.object({ item: vine.string().minLength(2), qty: vine.number().min(1) }))
router
  .group(() => {
    router.post('/__test/orders', async ({ request, response }) => {
      const input = await request.validateUsing(orderValidator)
      executions++
      response.header('location', `/api/v1/__test/orders/${executions}`)
      return response.created({ data: { id: executions, ...input } })
    })
  })
  .prefix('/api/v1')
  .use([middleware.api()])

function order(client: ApiClient, t: TestTenant, token: string, body: Record<string, unknown>, key?: string) {
  const request = client.post('/api/v1/__test/orders').header('host', t.host).bearerToken(token).json(body)
  return key === undefined ? request : request.header('idempotency-key', key)
}

test.group('API Idempotency-Key', (group) => {
  group.each.setup(() => {
    executions = 0
  })

  test('a retry with the same key and body replays the first response without running again', async ({ client, assert }) => {
    const t = await makeTenant()
    const token = await tokenFor(t.owner)
    const first = await order(client, t, token, { item: 'pens', qty: 3 }, 'order-1')
    first.assertStatus(201)
    first.assertHeaderMissing('idempotent-replayed')
    const again = await order(client, t, token, { qty: 3, item: 'pens' }, 'order-1')
    again.assertStatus(201)
    assert.deepEqual(again.body(), first.body())
    assert.deepEqual(again.body(), { data: { id: 1, item: 'pens', qty: 3 } })
    assert.equal(again.header('location'), '/api/v1/__test/orders/1')
    assert.match(again.header('content-type') ?? '', /^application\/json/)
    assert.equal(again.header('idempotent-replayed'), 'true')
    assert.equal(executions, 1)
  })

  test('the same key with another body answers 422; another key runs again', async ({ client, assert }) => {
    const t = await makeTenant()
    const token = await tokenFor(t.owner)
    await order(client, t, token, { item: 'pens', qty: 3 }, 'order-2')
    const reused = await order(client, t, token, { item: 'pens', qty: 4 }, 'order-2')
    assertProblem(assert, reused, 422, 'E_IDEMPOTENCY_KEY_REUSED')
    ;(await order(client, t, token, { item: 'pens', qty: 4 }, 'order-3')).assertStatus(201)
    ;(await order(client, t, token, { item: 'pens', qty: 4 })).assertStatus(201)
    ;(await order(client, t, token, { item: 'pens', qty: 4 })).assertStatus(201)
    assert.equal(executions, 4)
  })

  test('keys belong to a token: another token with the same key runs its own request', async ({ client, assert }) => {
    const t = await makeTenant()
    const mine = await tokenFor(t.owner)
    const theirs = await tokenFor(await t.user('admin'))
    ;(await order(client, t, mine, { item: 'pens', qty: 1 }, 'shared')).assertStatus(201)
    const other = await order(client, t, theirs, { item: 'ink', qty: 2 }, 'shared')
    other.assertStatus(201)
    assert.equal(other.body().data.item, 'ink')
    assert.equal(executions, 2)
  })

  test('a failed request is not kept: the same key can be retried with a corrected body', async ({ client, assert }) => {
    const t = await makeTenant()
    const token = await tokenFor(t.owner)
    const invalid = await order(client, t, token, { item: 'x', qty: 0 }, 'order-4')
    assertProblem(assert, invalid, 422, 'E_VALIDATION_ERROR')
    const fixed = await order(client, t, token, { item: 'pens', qty: 1 }, 'order-4')
    fixed.assertStatus(201)
    assert.equal(executions, 1)
  })

  test('a key whose first request is still running answers 409', async ({ client, assert }) => {
    const t = await makeTenant()
    const token = await tokenFor(t.owner)
    const [row] = await User.accessTokens.all(t.owner)
    const now = DateTime.utc()
    await db.table('api_idempotency_keys').insert({
      tenant_id: t.tenant.id,
      token_id: Number(row.identifier),
      key: 'busy',
      request_hash: 'x'.repeat(64),
      created_at: now.toSQL({ includeOffset: false }),
      expires_at: now.plus({ hours: 24 }).toSQL({ includeOffset: false }),
    })
    const busy = await order(client, t, token, { item: 'pens', qty: 1 }, 'busy')
    /* a different hash wins over in-progress: the stored request is not this one */
    assertProblem(assert, busy, 422, 'E_IDEMPOTENCY_KEY_REUSED')
    const first = await order(client, t, token, { item: 'pens', qty: 1 }, 'running')
    first.assertStatus(201)
    await db.from('api_idempotency_keys').where({ tenant_id: t.tenant.id, key: 'running' }).update({ status_code: null })
    assertProblem(assert, await order(client, t, token, { item: 'pens', qty: 1 }, 'running'), 409, 'E_IDEMPOTENCY_IN_PROGRESS')
    assert.equal(executions, 1)
  })

  test('kept responses expire after 24 hours', async ({ client, assert }) => {
    const t = await makeTenant()
    const token = await tokenFor(t.owner)
    ;(await order(client, t, token, { item: 'pens', qty: 1 }, 'old')).assertStatus(201)
    const past = DateTime.utc().minus({ minutes: 1 }).toSQL({ includeOffset: false })
    await db.from('api_idempotency_keys').where({ tenant_id: t.tenant.id, key: 'old' }).update({ expires_at: past })
    const later = await order(client, t, token, { item: 'ink', qty: 2 }, 'old')
    later.assertStatus(201)
    later.assertHeaderMissing('idempotent-replayed')
    assert.equal(executions, 2)
    const rows = await db.from('api_idempotency_keys').where({ tenant_id: t.tenant.id, key: 'old' })
    assert.lengthOf(rows, 1)
  })

  test('an invalid key answers 400; GET ignores the header', async ({ client, assert }) => {
    const t = await makeTenant()
    const token = await tokenFor(t.owner)
    assertProblem(assert, await order(client, t, token, { item: 'pens', qty: 1 }, 'x'.repeat(256)), 400, 'E_INVALID_IDEMPOTENCY_KEY')
    const me = await client.get('/api/v1/me').header('host', t.host).bearerToken(token).header('idempotency-key', 'x'.repeat(300))
    me.assertStatus(200)
    assert.equal(executions, 0)
  })

  test('OpenAPI documents the header on every POST, plugin ones included', async ({ client, assert }) => {
    const t = await makeTenant()
    const doc = (await client.get('/api/v1/openapi.json').header('host', t.host)).body()
    assert.property(doc.components.parameters, 'IdempotencyKey')
    assert.property(doc.components.responses, 'IdempotencyConflict')

    const merged = mergeFragment(
      kernelDocument({ serverUrl: 'http://x/api/v1', title: 'x' }),
      { paths: { '/sample/notes': { post: { operationId: 'sampleCreateNote', responses: { '201': { description: 'Created' } } } } } },
      'sample'
    )
    const post = documentIdempotency(merged).paths['/sample/notes'].post
    assert.deepEqual(post.parameters, [{ $ref: '#/components/parameters/IdempotencyKey' }])
    assert.deepEqual(post.responses['409'], { $ref: '#/components/responses/IdempotencyConflict' })
    assert.notProperty(merged.paths['/me'].get, 'parameters')
  })
})
