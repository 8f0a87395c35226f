/*
| The jobs service in one process, on whichever driver the run is configured with
| (SQLite: embedded; PostgreSQL run: JOBS_DRIVER=bullmq on the local Redis).
*/
import { test } from '@japa/runner'
import { setTimeout as sleep } from 'node:timers/promises'
import db from '@adonisjs/lucid/services/db'
import jobs from '#services/jobs'
import { tenantContext } from '#tenancy/tenant_context'
import { findJobRun, insertJobRow } from '#jobs/job_store'
import { makeTenant } from '#tests/helpers/tenants'
import { disablePlugin, enablePlugin } from '#tests/helpers/plugins'
import { InvalidJobError, UnknownJobError } from '#jobs/registry'
import { JobStateError } from '#jobs/errors'
import { Scheduler } from '#jobs/scheduler'
import { previousTick } from '#jobs/cron'
import jobsConfig from '#config/jobs'
import { removeRedisQueues, waitFor, uniqueJob } from '#tests/helpers/jobs'

test.group('Jobs: dispatch and run', (group) => {
  group.teardown(() => removeRedisQueues())

  test('a job runs once in its tenant context and is recorded as completed', async ({ assert }) => {
    const t = await makeTenant()
    const name = uniqueJob('kernel')
    const seen: Array<{ tenant: number | null; attempt: number; payload: unknown }> = []
    jobs.define(name, async (payload, ctx) => {
      seen.push({ tenant: tenantContext.tenantId(), attempt: ctx.attempt, payload })
    })
    const id = await jobs.dispatch(name, { tenantId: t.tenant.id, invoiceId: 7 })
    await jobs.drain()
    await waitFor(async () => (await findJobRun(t.tenant.id, id))?.status === 'completed')
    assert.deepEqual(seen, [{ tenant: t.tenant.id, attempt: 1, payload: { tenantId: t.tenant.id, invoiceId: 7 } }])
    const row = await findJobRun(t.tenant.id, id)
    assert.equal(row!.attempts, 1)
    assert.equal(row!.progress, 100)
  })

  test('dispatch refuses bad payloads and unknown jobs', async ({ assert }) => {
    const name = uniqueJob('kernel')
    jobs.define(name, async () => {})
    await assert.rejects(() => jobs.dispatch(name, { invoiceId: 1 } as any), InvalidJobError as any)
    await assert.rejects(() => jobs.dispatch(name, { tenantId: 1, at: new Date() }), /JSON-serialisable/)
    await assert.rejects(() => jobs.dispatch('kernel:never_defined', { tenantId: 1 }), UnknownJobError as any)
  })

  test('a jobId makes dispatch idempotent', async ({ assert }) => {
    const t = await makeTenant()
    const name = uniqueJob('kernel')
    let runs = 0
    jobs.define(name, async () => {
      runs++
    })
    const key = `dedupe-${t.tenant.id}`
    const first = await jobs.dispatch(name, { tenantId: t.tenant.id }, { jobId: key })
    const second = await jobs.dispatch(name, { tenantId: t.tenant.id }, { jobId: key })
    assert.equal(first, key)
    assert.equal(second, key)
    await jobs.drain()
    await waitFor(async () => (await findJobRun(t.tenant.id, key))?.status === 'completed')
    assert.equal(runs, 1)
    const rows = await db.from('job_runs').where('id', key)
    assert.lengthOf(rows, 1)

    /* still a duplicate once the job is done (BullMQ no longer holds it) */
    await jobs.dispatch(name, { tenantId: t.tenant.id }, { jobId: key })
    await jobs.drain()
    assert.equal(runs, 1)
  })

  test('a delayed job does not run before its time', async ({ assert }) => {
    const t = await makeTenant()
    const name = uniqueJob('kernel')
    let runs = 0
    jobs.define(name, async () => {
      runs++
    })
    const id = await jobs.dispatch(name, { tenantId: t.tenant.id }, { delay: 1500 })
    await jobs.drain()
    assert.equal(runs, 0)
    await sleep(1600)
    await jobs.drain()
    await waitFor(async () => (await findJobRun(t.tenant.id, id))?.status === 'completed')
    assert.equal(runs, 1)
  })

  test('a job of a plugin disabled for the tenant is a recorded no-op', async ({ assert }) => {
    const off = await makeTenant()
    const on = await makeTenant()
    await disablePlugin(off, 'sample')
    await enablePlugin(on, 'sample')
    const name = uniqueJob('sample')
    const ran: number[] = []
    jobs.define(name, async ({ tenantId }) => {
      ran.push(tenantId)
    })
    const skipped = await jobs.dispatch(name, { tenantId: off.tenant.id })
    const done = await jobs.dispatch(name, { tenantId: on.tenant.id })
    await jobs.drain()
    await waitFor(async () => (await findJobRun(off.tenant.id, skipped))?.status === 'skipped')
    await waitFor(async () => (await findJobRun(on.tenant.id, done))?.status === 'completed')
    assert.deepEqual(ran, [on.tenant.id])
    assert.match((await findJobRun(off.tenant.id, skipped))!.lastError!, /plugin "sample" is disabled/)
  })

  test('progress is recorded while the job runs', async ({ assert }) => {
    const t = await makeTenant()
    const name = uniqueJob('kernel')
    let release!: () => void
    const gate = new Promise<void>((resolve) => (release = resolve))
    jobs.define(name, async (_payload, ctx) => {
      await ctx.progress(40, 'halfway there')
      await gate
    })
    const id = await jobs.dispatch(name, { tenantId: t.tenant.id })
    const worker = await jobs.work({ scheduler: false })
    try {
      await waitFor(async () => (await findJobRun(t.tenant.id, id))?.progress === 40)
      const row = await findJobRun(t.tenant.id, id)
      assert.equal(row!.status, 'running')
      assert.equal(row!.progressMessage, 'halfway there')
    } finally {
      release()
      await worker.stop()
    }
    await waitFor(async () => (await findJobRun(t.tenant.id, id))?.status === 'completed')
  })

  test('a failing job retries with backoff, then lands in failed', async ({ assert }) => {
    const t = await makeTenant()
    const name = uniqueJob('kernel')
    const times: number[] = []
    jobs.define(
      name,
      async (_payload, ctx) => {
        times.push(Date.now())
        throw new Error(`boom ${ctx.attempt}`)
      },
      { attempts: 3, backoff: { type: 'exponential', delay: 300 } }
    )
    const id = await jobs.dispatch(name, { tenantId: t.tenant.id })
    const worker = await jobs.work({ scheduler: false })
    try {
      await waitFor(async () => (await findJobRun(t.tenant.id, id))?.status === 'failed', 15_000)
    } finally {
      await worker.stop()
    }
    assert.lengthOf(times, 3)
    /* 300 ms, then 600 ms (exponential); polling may add a little */
    assert.isAtLeast(times[1] - times[0], 280)
    assert.isAtLeast(times[2] - times[1], 580)
    const row = await findJobRun(t.tenant.id, id)
    assert.equal(row!.attempts, 3)
    assert.match(row!.lastError!, /boom 3/)
  })

  test('a job over its timeout fails with a timeout error', async ({ assert }) => {
    const t = await makeTenant()
    const name = uniqueJob('kernel')
    jobs.define(name, () => sleep(2000), { attempts: 1, timeoutMs: 100 })
    const id = await jobs.dispatch(name, { tenantId: t.tenant.id })
    await jobs.drain()
    await waitFor(async () => (await findJobRun(t.tenant.id, id))?.status === 'failed')
    assert.match((await findJobRun(t.tenant.id, id))!.lastError!, /exceeded its timeout of 100 ms/)
  })

  test('retry re-queues a failed job; discard removes a queued one', async ({ assert }) => {
    const t = await makeTenant()
    const name = uniqueJob('kernel')
    let fail = true
    let runs = 0
    jobs.define(
      name,
      async () => {
        runs++
        if (fail) throw new Error('not yet')
      },
      { attempts: 1 }
    )
    const id = await jobs.dispatch(name, { tenantId: t.tenant.id })
    await jobs.drain()
    await waitFor(async () => (await findJobRun(t.tenant.id, id))?.status === 'failed')
    await assert.rejects(() => jobs.discard(t.tenant.id, 'no-such-job'), JobStateError as any)
    fail = false
    await jobs.retry(t.tenant.id, id)
    await jobs.drain()
    await waitFor(async () => (await findJobRun(t.tenant.id, id))?.status === 'completed')
    assert.equal(runs, 2)
    await assert.rejects(() => jobs.retry(t.tenant.id, id), JobStateError as any)

    const later = await jobs.dispatch(name, { tenantId: t.tenant.id }, { delay: 60_000 })
    await jobs.discard(t.tenant.id, later)
    assert.equal((await findJobRun(t.tenant.id, later))!.status, 'discarded')
    const other = await makeTenant()
    await assert.rejects(() => jobs.retry(other.tenant.id, id), JobStateError as any)
  })
})

test.group('Jobs: outbox', (group) => {
  group.teardown(() => removeRedisQueues())

  test('a job dispatched in a rolled-back transaction never runs', async ({ assert }) => {
    const t = await makeTenant()
    const name = uniqueJob('kernel')
    let runs = 0
    jobs.define(name, async () => {
      runs++
    })
    let id = ''
    await assert.rejects(() =>
      db.transaction(async (trx) => {
        id = await jobs.dispatch(name, { tenantId: t.tenant.id }, { client: trx })
        throw new Error('business rule failed')
      })
    )
    await jobs.drain()
    await sleep(200)
    assert.equal(runs, 0)
    assert.isNull(await findJobRun(t.tenant.id, id))
  })

  test('a job dispatched in a transaction runs after commit', async ({ assert }) => {
    const t = await makeTenant()
    const name = uniqueJob('kernel')
    let runs = 0
    jobs.define(name, async () => {
      runs++
    })
    const id = await db.transaction(async (trx) => {
      const jobId = await jobs.dispatch(name, { tenantId: t.tenant.id }, { client: trx })
      await trx.from('tenants').where('id', t.tenant.id).update({ name: 'Renamed in the same transaction' })
      return jobId
    })
    await jobs.drain()
    await waitFor(async () => (await findJobRun(t.tenant.id, id))?.status === 'completed')
    assert.equal(runs, 1)
  })

  test('a job dispatched in a nested transaction runs only after the outer commit', async ({ assert }) => {
    const t = await makeTenant()
    const name = uniqueJob('kernel')
    let runs = 0
    jobs.define(name, async () => {
      runs++
    })
    let id = ''
    await assert.rejects(() =>
      db.transaction(async (outer) => {
        await outer.transaction(async (inner) => {
          id = await jobs.dispatch(name, { tenantId: t.tenant.id }, { client: inner })
        })
        throw new Error('the outer transaction fails after the savepoint')
      })
    )
    const worker = await jobs.work()
    try {
      await sleep(1500)
    } finally {
      await worker.stop()
    }
    assert.equal(runs, 0)
    assert.isNull(await findJobRun(t.tenant.id, id))
  })

  test('rows a crash left in the outbox are enqueued when a worker starts', async ({ assert }) => {
    const t = await makeTenant()
    const name = uniqueJob('kernel')
    let runs = 0
    jobs.define(name, async () => {
      runs++
    })
    /* what a process that died between commit and hand-over leaves behind */
    const envelope = jobs.registry.envelope(name, { tenantId: t.tenant.id })
    await insertJobRow(envelope, db.connection(), { outbox: jobs.driverName === 'bullmq' })
    const worker = await jobs.work()
    try {
      await waitFor(async () => (await findJobRun(t.tenant.id, envelope.id))?.status === 'completed', 10_000)
    } finally {
      await worker.stop()
    }
    assert.equal(runs, 1)
    assert.isFalse(Boolean((await db.from('job_runs').where('id', envelope.id).first()).outbox))
  })
})

test.group('Jobs: schedules', (group) => {
  group.teardown(() => removeRedisQueues())

  test('a manifest job with a schedule is dispatched once per tick, to tenants that have its plugin', async ({ assert }) => {
    const on = await makeTenant()
    const off = await makeTenant()
    await enablePlugin(on, 'sample')
    await disablePlugin(off, 'sample')
    const name = uniqueJob('sample')
    const ran: number[] = []
    jobs.registry.defineFromManifest('sample', {
      [name]: {
        handler: async () => ({ default: async ({ tenantId }) => void ran.push(tenantId) }),
        schedule: '*/5 * * * *',
      },
    })
    const job = jobs.registry.require(name)
    const tick = previousTick(job.schedule!, Date.now())!

    /* two processes reach the same tick: only the first claim dispatches */
    const first = new Scheduler(jobs.registry, jobsConfig, jobs.driver())
    const second = new Scheduler(jobs.registry, jobsConfig, jobs.driver())
    assert.isTrue(await first.dispatchTick(job, tick))
    assert.isFalse(await second.dispatchTick(job, tick))

    const rows = await db.from('job_runs').where('name', name)
    const tenants = rows.map((r) => Number(r.tenant_id))
    assert.include(tenants, on.tenant.id)
    assert.notInclude(tenants, off.tenant.id)
    assert.equal(new Set(tenants).size, tenants.length)
    assert.deepEqual(JSON.parse(rows.find((r) => Number(r.tenant_id) === on.tenant.id).payload), { tenantId: on.tenant.id })

    await jobs.drain()
    await waitFor(() => ran.includes(on.tenant.id))
    assert.notInclude(ran, off.tenant.id)
  })
})
