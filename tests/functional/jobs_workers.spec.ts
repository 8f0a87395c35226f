/*
| Worker processes (`node ace queue:work` children on this run's database and Redis prefix):
| restarts, SIGTERM, SIGKILL mid-job and cron ticks with two workers. The jobs come from
| tests/fixtures/jobs and record what they did as files every process can see.
*/
import { test } from '@japa/runner'
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import jobs from '#services/jobs'
import { findJobRun } from '#jobs/job_store'
import { defineTestJobs, TEST_EFFECT, TEST_FAIL } from '#tests/fixtures/jobs/test_jobs'
import { makeTenant } from '#tests/helpers/tenants'
import { removeRedisQueues, startWorker, waitFor, type WorkerProcess } from '#tests/helpers/jobs'

const dir = mkdtempSync(join(app.makePath('tmp'), 'jobs-'))
const lines = (file: string) =>
  existsSync(join(dir, file)) ? readFileSync(join(dir, file), 'utf8').split('\n').filter(Boolean) : []
const children = new Set<WorkerProcess>()

async function worker(env: Record<string, string> = {}) {
  const w = await startWorker({ JOBS_TEST_DIR: dir, ...env })
  children.add(w)
  void w.exited.then(() => children.delete(w))
  return w
}

test.group('Jobs: worker processes', (group) => {
  group.setup(() => {
    defineTestJobs(jobs, dir)
    return async () => {
      for (const w of children) w.child.kill('SIGKILL')
      rmSync(dir, { recursive: true, force: true })
      await removeRedisQueues()
    }
  })
  group.each.timeout(60_000)

  test('a job survives a restart; SIGTERM lets the job in flight finish', async ({ assert }) => {
    const t = await makeTenant()
    const first = await worker()
    const quick = await jobs.dispatch(TEST_EFFECT, { tenantId: t.tenant.id, key: 'restart-a' })
    await waitFor(async () => (await findJobRun(t.tenant.id, quick))?.status === 'completed', 15_000, 'job a')

    /* a job that is running when SIGTERM arrives completes before the process exits */
    const slow = await jobs.dispatch(TEST_EFFECT, { tenantId: t.tenant.id, key: 'restart-b', ms: 1500 })
    await waitFor(() => lines('started.log').some((l) => l.startsWith('restart-b ')), 15_000, 'job b to start')
    first.child.kill('SIGTERM')
    assert.equal(await first.exited, 0)
    assert.equal((await findJobRun(t.tenant.id, slow))!.status, 'completed')
    assert.include(lines('effects.log'), 'restart-b')

    /* dispatched while no worker runs: the next worker picks it up */
    const waiting = await jobs.dispatch(TEST_EFFECT, { tenantId: t.tenant.id, key: 'restart-c' })
    await new Promise((resolve) => setTimeout(resolve, 300))
    assert.equal((await findJobRun(t.tenant.id, waiting))!.status, 'queued')
    const second = await worker()
    await waitFor(async () => (await findJobRun(t.tenant.id, waiting))?.status === 'completed', 15_000, 'job c')
    second.child.kill('SIGTERM')
    assert.equal(await second.exited, 0)
    assert.deepEqual(
      lines('effects.log').filter((l) => l.startsWith('restart-')),
      ['restart-a', 'restart-b', 'restart-c']
    )
  })

  test('a worker killed with SIGKILL mid-job loses nothing and the effect happens once', async ({ assert }) => {
    const t = await makeTenant()
    const doomed = await worker()
    const id = await jobs.dispatch(TEST_EFFECT, { tenantId: t.tenant.id, key: 'kill-a', ms: 4000 })
    await waitFor(() => lines('started.log').some((l) => l.startsWith('kill-a ')), 15_000, 'the job to start')
    doomed.child.kill('SIGKILL')
    await doomed.exited
    /* killed before its effect: with BullMQ the row may not show "running" yet (batched view) */
    assert.notInclude(lines('effects.log'), 'kill-a')
    assert.include(['queued', 'running'], (await findJobRun(t.tenant.id, id))!.status)

    const rescuer = await worker()
    await waitFor(async () => (await findJobRun(t.tenant.id, id))?.status === 'completed', 30_000, 'the job to complete')
    rescuer.child.kill('SIGTERM')
    await rescuer.exited

    const starts = lines('started.log').filter((l) => l.startsWith('kill-a '))
    assert.lengthOf(starts, 2)
    assert.notEqual(starts[0].split(' ')[2], starts[1].split(' ')[2])
    assert.deepEqual(lines('effects.log').filter((l) => l === 'kill-a'), ['kill-a'])
  })

  test('a failing job retries with backoff in a worker, then lands in failed', async ({ assert }) => {
    const t = await makeTenant()
    const w = await worker()
    const id = await jobs.dispatch(TEST_FAIL, { tenantId: t.tenant.id, key: 'fail-a' })
    await waitFor(async () => (await findJobRun(t.tenant.id, id))?.status === 'failed', 20_000, 'the job to fail')
    w.child.kill('SIGTERM')
    await w.exited
    const runs = lines('fail.log')
      .filter((l) => l.startsWith('fail-a '))
      .map((l) => l.split(' ').map(Number))
    assert.deepEqual(runs.map((r) => r[1]), [1, 2, 3])
    assert.isAtLeast(runs[1][2] - runs[0][2], 190)
    assert.isAtLeast(runs[2][2] - runs[1][2], 390)
    const row = await findJobRun(t.tenant.id, id)
    assert.equal(row!.attempts, 3)
    assert.match(row!.lastError!, /planned failure 3/)
  })

  test('a scheduled job runs once per tick with two workers', async ({ assert }) => {
    const t = await makeTenant()
    const since = Date.now()
    const [a, b] = await Promise.all([worker({ JOBS_TEST_SCHEDULE: '1' }), worker({ JOBS_TEST_SCHEDULE: '1' })])
    const mine = () => lines('ticks.log').filter((l) => l.split(' ')[0].endsWith(`-${t.tenant.id}`))
    await waitFor(() => new Set(mine().map((l) => l.split(' ')[0])).size >= 4, 30_000, 'four ticks')
    a.child.kill('SIGTERM')
    b.child.kill('SIGTERM')
    await Promise.all([a.exited, b.exited])

    const ids = mine().map((l) => l.split(' ')[0])
    assert.equal(new Set(ids).size, ids.length, `a tick ran twice: ${ids.join(', ')}`)
    const ticks = await db.from('job_schedule_ticks').where('name', 'kernel:test_tick').where('tick', '>=', since - 1000)
    const perTick = new Map<number, number>()
    for (const row of ticks) perTick.set(Number(row.tick), (perTick.get(Number(row.tick)) ?? 0) + 1)
    assert.isTrue([...perTick.values()].every((n) => n === 1))
    assert.isAtLeast(perTick.size, 4)

    /* ticks dispatched to every tenant of this run: do not leave them to later tests */
    const leftovers = await db.from('job_runs').where('name', 'kernel:test_tick').whereIn('status', ['queued'])
    for (const row of leftovers) await jobs.discard(row.tenant_id, row.id)
  })
})
