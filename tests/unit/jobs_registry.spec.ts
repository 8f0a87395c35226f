import { test } from '@japa/runner'
import { JobRegistry, validatePayload, InvalidJobError, UnknownJobError } from '#jobs/registry'
import { backoffDelay } from '#jobs/runner'
import { previousTick } from '#jobs/cron'

const noop = async () => {}

test.group('Jobs registry: names and options', () => {
  test('names must be <plugin>:<verb_noun>', ({ assert }) => {
    const registry = new JobRegistry()
    for (const bad of ['send', 'Kernel:send', 'kernel:Send', 'kernel:send-mail', 'kernel:', ':send', 'a:b:c']) {
      assert.throws(() => registry.define(bad, noop), /must be <plugin>:<verb_noun>/)
    }
    const job = registry.define('invoicing:send_invoice', noop)
    assert.equal(job.plugin, 'invoicing')
    assert.equal(job.attempts, 5)
    assert.deepEqual(job.backoff, { type: 'exponential', delay: 5000 })
    assert.equal(job.queue, 'default')
  })

  test('a name is defined once; options are checked', ({ assert }) => {
    const registry = new JobRegistry()
    registry.define('kernel:do_thing', noop)
    assert.throws(() => registry.define('kernel:do_thing', noop), /already defined/)
    assert.throws(() => registry.define('kernel:zero', noop, { attempts: 0 }), /attempts/)
    assert.throws(() => registry.define('kernel:bad_backoff', noop, { backoff: { type: 'linear' as any, delay: 1 } }), /backoff/)
    assert.throws(() => registry.define('kernel:bad_cron', noop, { schedule: 'every day' }), /invalid cron/)
  })

  test('manifest jobs must carry their plugin prefix and load their handler lazily', async ({ assert }) => {
    const registry = new JobRegistry()
    assert.throws(
      () => registry.defineFromManifest('crm', { 'billing:sync': { handler: async () => ({ default: noop }) } }),
      /must be named crm:<verb_noun>/
    )
    let loads = 0
    registry.defineFromManifest('crm', {
      'crm:sync_contacts': {
        handler: async () => {
          loads++
          return { default: noop }
        },
        schedule: '0 * * * *',
      },
    })
    assert.equal(loads, 0)
    const job = registry.require('crm:sync_contacts')
    assert.equal(job.schedule, '0 * * * *')
    assert.strictEqual(await job.handler(), noop)
    await job.handler()
    assert.equal(loads, 1)
    assert.throws(() => registry.require('crm:unknown'), UnknownJobError as any)
  })
})

test.group('Jobs registry: payloads are ids plus tenantId', () => {
  test('accepts plain JSON with a tenantId', ({ assert }) => {
    const payload = validatePayload('kernel:x', { tenantId: 3, invoiceId: 9, ids: [1, 2], meta: { a: null, b: 'x' } })
    assert.deepEqual(payload, { tenantId: 3, invoiceId: 9, ids: [1, 2], meta: { a: null, b: 'x' } })
  })

  test('refuses payloads without a valid tenantId', ({ assert }) => {
    for (const bad of [{}, { tenantId: '3' }, { tenantId: 0 }, { tenantId: 1.5 }, null, [], 'x']) {
      assert.throws(() => validatePayload('kernel:x', bad), InvalidJobError as any)
    }
  })

  test('refuses values JSON cannot carry faithfully', ({ assert }) => {
    const bad = [
      { tenantId: 1, at: new Date() },
      { tenantId: 1, fn: () => 1 },
      { tenantId: 1, n: Number.NaN },
      { tenantId: 1, big: 10n },
      { tenantId: 1, nested: { u: undefined } },
      { tenantId: 1, set: new Set([1]) },
    ]
    for (const payload of bad) {
      assert.throws(() => validatePayload('kernel:x', payload), /not JSON-serialisable|not a finite number/)
    }
  })

  test('refuses big payloads (ids, not data)', ({ assert }) => {
    assert.throws(() => validatePayload('kernel:x', { tenantId: 1, blob: 'x'.repeat(20_000) }), /exceeds/)
  })

  test('dispatch options are checked', ({ assert }) => {
    const registry = new JobRegistry()
    registry.define('kernel:x', noop, { attempts: 2, queue: 'mail', timeoutMs: 500 })
    const envelope = registry.envelope('kernel:x', { tenantId: 1 }, { delay: 1000, jobId: 'mail:42' })
    assert.equal(envelope.id, 'mail:42')
    assert.equal(envelope.queue, 'mail')
    assert.equal(envelope.maxAttempts, 2)
    assert.equal(envelope.timeoutMs, 500)
    assert.approximately(envelope.runAt, Date.now() + 1000, 200)
    assert.throws(() => registry.envelope('kernel:x', { tenantId: 1 }, { jobId: 'has space' }), /jobId/)
    assert.throws(() => registry.envelope('kernel:x', { tenantId: 1 }, { jobId: 'a/b' }), /jobId/)
    assert.throws(() => registry.envelope('kernel:x', { tenantId: 1 }, { delay: -1 }), /delay/)
    assert.throws(() => registry.envelope('kernel:nope', { tenantId: 1 }), UnknownJobError as any)
  })
})

test.group('Jobs: backoff and cron ticks', () => {
  test('exponential backoff doubles, fixed stays', ({ assert }) => {
    const exp = { type: 'exponential' as const, delay: 1000 }
    assert.deepEqual([1, 2, 3, 4].map((n) => backoffDelay(exp, n)), [1000, 2000, 4000, 8000])
    assert.deepEqual([1, 2, 3].map((n) => backoffDelay({ type: 'fixed', delay: 300 }, n)), [300, 300, 300])
  })

  test('previousTick is the latest tick at or before now (UTC)', ({ assert }) => {
    const at = Date.UTC(2026, 0, 15, 10, 37, 12)
    assert.equal(previousTick('*/15 * * * *', at), Date.UTC(2026, 0, 15, 10, 30, 0))
    assert.equal(previousTick('0 2 * * *', at), Date.UTC(2026, 0, 15, 2, 0, 0))
    assert.equal(previousTick('* * * * * *', at), at)
    assert.equal(previousTick('0 * * * *', Date.UTC(2026, 0, 15, 11, 0, 0)), Date.UTC(2026, 0, 15, 11, 0, 0))
    assert.isNull(previousTick('not cron', at))
  })
})
