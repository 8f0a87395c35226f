/*
| Outgoing webhooks end to end: signed deliveries to a loopback receiver, retries with backoff,
| exactly-once processing by webhook-id, the delivery log, replay, and the address guard.
*/
import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { Webhook } from 'standardwebhooks'
import webhooksConfig from '#config/webhooks'
import jobs from '#services/jobs'
import WebhookDelivery from '#models/webhook_delivery'
import WebhookDeliveryAttempt from '#models/webhook_delivery_attempt'
import WebhookEndpoint from '#models/webhook_endpoint'
import AuditLog from '#models/audit_log'
import { makeTenant, type TestTenant } from '#tests/helpers/tenants'
import { startReceiver, type WebhookReceiver } from '#tests/helpers/webhook_receiver'
import { waitFor } from '#tests/helpers/jobs'
import { isBlockedAddress } from '#services/network_guard'
import {
  createEndpoint,
  emit,
  replay,
  retryWindowMs,
  TEST_EVENT,
  sendTest,
  updateEndpoint,
} from '#services/webhook_service'

async function endpointFor(t: TestTenant, url: string, events = ['user.created']) {
  return t.run(() => createEndpoint({ url, events }))
}

/** Runs due jobs until the delivery leaves "pending" (retries become due after their backoff) */
async function settle(deliveryId: number, tenantId: number) {
  let delivery: WebhookDelivery | null = null
  await waitFor(
    async () => {
      await jobs.drain()
      delivery = await WebhookDelivery.forTenant(tenantId).where('id', deliveryId).firstOrFail()
      return delivery.status !== 'pending'
    },
    15_000,
    'the delivery to settle'
  )
  return delivery!
}

test.group('Webhooks: delivery', (group) => {
  let receiver: WebhookReceiver
  group.each.setup(async () => {
    webhooksConfig.allowPrivateNetworks = true
    receiver = await startReceiver()
    return async () => {
      webhooksConfig.allowPrivateNetworks = false
      await receiver.close()
    }
  })

  test('a delivery is signed with the Standard Webhooks scheme and verifies with its library', async ({ assert }) => {
    const t = await makeTenant()
    const endpoint = await endpointFor(t, receiver.url)
    assert.match(endpoint.secret, /^whsec_[A-Za-z0-9+/]{32}$/)
    const [delivery] = await emit(t.tenant.id, 'user.created', { id: 7, email: 'a@example.com' })
    const settled = await settle(delivery.id, t.tenant.id)
    assert.equal(settled.status, 'succeeded')

    assert.lengthOf(receiver.requests, 1)
    const { headers, body } = receiver.requests[0]
    const verified = new Webhook(endpoint.secret).verify(body, headers) as any
    assert.equal(verified.type, 'user.created')
    assert.deepEqual(verified.data, { id: 7, email: 'a@example.com' })
    assert.equal(headers['webhook-id'], delivery.messageId)
    assert.equal(headers['content-type'], 'application/json')
    assert.throws(() => new Webhook('whsec_' + Buffer.alloc(24, 1).toString('base64')).verify(body, headers))
    assert.throws(() => new Webhook(endpoint.secret).verify(body.replace('7', '8'), headers))
  })

  test('a receiver that fails twice then succeeds gets the event exactly once after retries', async ({ assert }) => {
    const t = await makeTenant()
    receiver.options.failFirst = 2
    const endpoint = await endpointFor(t, receiver.url)
    const [delivery] = await emit(t.tenant.id, 'user.created', { id: 1 })
    const started = Date.now()
    const settled = await settle(delivery.id, t.tenant.id)

    assert.equal(settled.status, 'succeeded')
    assert.equal(settled.attempts, 3)
    assert.equal(settled.lastStatusCode, 200)
    assert.lengthOf(receiver.requests, 3)
    assert.deepEqual(receiver.requests.map((r) => r.headers['webhook-id']), Array(3).fill(delivery.messageId))
    assert.equal(receiver.accepted.size, 1)
    assert.equal(receiver.duplicates, 0)
    /* backoff: 50 ms then 100 ms at least between the attempts */
    assert.isAtLeast(Date.now() - started, 150)
    for (const request of receiver.requests) new Webhook(endpoint.secret).verify(request.body, request.headers)

    const log = await WebhookDeliveryAttempt.forTenant(t.tenant.id).where('delivery_id', delivery.id).orderBy('attempt')
    assert.deepEqual(log.map((a) => [a.attempt, a.responseStatus, a.trigger]), [
      [1, 500, 'automatic'],
      [2, 500, 'automatic'],
      [3, 200, 'automatic'],
    ])
    assert.isTrue(log.every((a) => a.durationMs >= 0 && a.requestHeaders['webhook-id'] === delivery.messageId))
    assert.include(log[2].responseBody ?? '', '"ok":true')

    /* running the jobs again sends nothing more */
    await jobs.drain()
    assert.lengthOf(receiver.requests, 3)
  })

  test('after its last attempt a delivery is failed; a replay sends the same webhook-id again', async ({ assert }) => {
    const t = await makeTenant()
    receiver.options.status = 503
    await endpointFor(t, receiver.url)
    const [delivery] = await emit(t.tenant.id, 'user.created', { id: 2 })
    const failed = await settle(delivery.id, t.tenant.id)
    assert.equal(failed.status, 'failed')
    assert.equal(failed.attempts, webhooksConfig.attempts)
    assert.lengthOf(receiver.requests, webhooksConfig.attempts)

    receiver.options.status = 200
    await t.run(() => replay(failed))
    const replayed = await settle(delivery.id, t.tenant.id)
    assert.equal(replayed.status, 'succeeded')
    const last = receiver.requests.at(-1)!
    assert.equal(last.headers['webhook-id'], delivery.messageId)
    const log = await WebhookDeliveryAttempt.forTenant(t.tenant.id).where('delivery_id', delivery.id).orderBy('attempt')
    assert.equal(log.at(-1)!.trigger, 'manual')
    assert.isNotNull(await AuditLog.forTenant(t.tenant.id).where('action', 'webhook_delivery.replayed').first())
  })

  test('an event id makes emitting idempotent; unsubscribed and paused endpoints get nothing', async ({ assert }) => {
    const t = await makeTenant()
    const subscribed = await endpointFor(t, receiver.url)
    const other = await endpointFor(t, receiver.url + '/other', ['*'])
    const paused = await endpointFor(t, receiver.url + '/paused')
    await t.run(() => updateEndpoint(paused, { enabled: false }))

    const first = await emit(t.tenant.id, 'user.created', { id: 3 }, { eventId: 'user.created:3' })
    const again = await emit(t.tenant.id, 'user.created', { id: 3 }, { eventId: 'user.created:3' })
    assert.deepEqual(first.map((d) => d.endpointId).sort(), [subscribed.id, other.id].sort())
    assert.lengthOf(again, 0)

    assert.lengthOf(await emit(t.tenant.id, 'invoice.finalized', { id: 1 }), 1)
  })

  test('deliveries and their jobs are written in the caller transaction (outbox)', async ({ assert }) => {
    const t = await makeTenant()
    await endpointFor(t, receiver.url)
    await db
      .transaction(async (trx) => {
        await emit(t.tenant.id, 'user.created', { id: 4 }, { client: trx })
        throw new Error('rolled back')
      })
      .catch(() => {})
    await jobs.drain()
    assert.lengthOf(await WebhookDelivery.forTenant(t.tenant.id), 0)
    assert.lengthOf(receiver.requests, 0)
  })

  test('a test event reaches an endpoint whatever it subscribes to', async ({ assert }) => {
    const t = await makeTenant()
    const endpoint = await endpointFor(t, receiver.url, ['user.created'])
    const delivery = await t.run(() => sendTest(endpoint))
    await settle(delivery.id, t.tenant.id)
    assert.equal(JSON.parse(receiver.requests[0].body).type, TEST_EVENT)
  })
})

test.group('Webhooks: address guard', (group) => {
  group.each.teardown(() => {
    webhooksConfig.allowPrivateNetworks = false
  })

  test('{$self} is refused when the endpoint is saved')
    .with([
      'http://127.0.0.1/hook',
      'http://localhost:8080/hook',
      'http://10.1.2.3/hook',
      'http://192.168.0.10/hook',
      'http://169.254.169.254/latest/meta-data',
      'http://[::1]/hook',
      'http://[::ffff:127.0.0.1]/hook',
      'http://[fd00::1]/hook',
      'http://0.0.0.0/hook',
    ])
    .run(async ({ assert }, url) => {
      const t = await makeTenant()
      const error = await endpointFor(t, url).catch((e) => e)
      assert.equal(error.code, 'E_ADDRESS_BLOCKED')
      assert.lengthOf(await WebhookEndpoint.forTenant(t.tenant.id), 0)
    })

  test('the operator setting allows private addresses', async ({ assert }) => {
    const t = await makeTenant()
    webhooksConfig.allowPrivateNetworks = true
    const endpoint = await endpointFor(t, 'http://127.0.0.1:9/hook')
    assert.equal(endpoint.url, 'http://127.0.0.1:9/hook')
  })

  test('the address is checked again when delivering (DNS rebinding), and nothing is sent', async ({ assert }) => {
    const t = await makeTenant()
    const receiver = await startReceiver()
    try {
      webhooksConfig.allowPrivateNetworks = true
      const endpoint = await endpointFor(t, `http://localhost:${receiver.port}/hooks`)
      /* as if the name now resolved to a private address: the guard refuses it at connect time */
      webhooksConfig.allowPrivateNetworks = false
      const [delivery] = await emit(t.tenant.id, 'user.created', { id: 5 })
      const settled = await settle(delivery.id, t.tenant.id)
      assert.equal(settled.status, 'failed')
      assert.lengthOf(receiver.requests, 0)
      const attempt = await WebhookDeliveryAttempt.forTenant(t.tenant.id).where('delivery_id', delivery.id).firstOrFail()
      assert.include(attempt.error ?? '', 'private or loopback')
      assert.isNull(attempt.responseStatus)
      assert.equal(endpoint.id, settled.endpointId)
    } finally {
      await receiver.close()
    }
  })

  test('address classification', ({ assert }) => {
    for (const address of ['127.0.0.1', '10.0.0.1', '172.16.5.4', '192.168.1.1', '100.64.0.1', '169.254.1.1', '::1', 'fe80::1', 'fc00::1', '::ffff:10.0.0.1', '::ffff:7f00:1', '64:ff9b::a00:1', '224.0.0.1', '::']) {
      assert.isTrue(isBlockedAddress(address), address)
    }
    for (const address of ['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111', '::ffff:8.8.8.8']) {
      assert.isFalse(isBlockedAddress(address), address)
    }
  })

  test('the default retry schedule spans more than 24 hours', ({ assert }) => {
    assert.isAtLeast(retryWindowMs(12, 60_000), 24 * 3600 * 1000)
  })
})
