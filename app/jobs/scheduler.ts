/*
| Cron schedules, the outbox relay and pruning, run by every worker process. A tick is dispatched
| once however many processes run: the first to insert (job, tick) into job_schedule_ticks
| dispatches it for every tenant with the job's plugin, in the same transaction (so a crash
| between the claim and the dispatch loses nothing).
*/
import db from '@adonisjs/lucid/services/db'
import logger from '@adonisjs/core/services/logger'
import plugins from '#kernel/plugin_service'
import type { JobsConfig } from '#config/jobs'
import type { JobRegistry, RegisteredJob } from '#jobs/registry'
import type { JobDriver } from '#jobs/types'
import { workerId } from '#jobs/runner'
import { assertCron, previousTick } from '#jobs/cron'
import { insertIgnore } from '#jobs/job_store'

const TICK_MS = 1000
/* a younger outbox row may still be on its way to Redis from the process that wrote it */
const RELAY_EVERY_MS = 2000
const PRUNE_EVERY_MS = 10 * 60 * 1000

export class Scheduler {
  readonly id = workerId()
  #timer: NodeJS.Timeout | null = null
  #running: Promise<void> | null = null
  #handled = new Map<string, number>()
  #lastRelay = 0
  #lastPrune = 0

  constructor(
    private registry: JobRegistry,
    private config: JobsConfig,
    private driver: JobDriver
  ) {}

  start() {
    for (const job of this.registry.list()) if (job.schedule) assertCron(job.name, job.schedule)
    const loop = () => {
      this.#running = this.runOnce()
        .catch((error) => logger.error({ err: error }, 'jobs: scheduler tick failed'))
        .finally(() => {
          this.#running = null
          if (this.#timer) this.#timer = setTimeout(loop, TICK_MS - (Date.now() % TICK_MS) + 5)
        })
    }
    this.#timer = setTimeout(loop, 0)
  }

  async stop() {
    if (this.#timer) clearTimeout(this.#timer)
    this.#timer = null
    await this.#running
  }

  async runOnce(now = Date.now()) {
    if (now - this.#lastRelay >= RELAY_EVERY_MS) {
      this.#lastRelay = now
      const relayed = await this.driver.relayOutbox(RELAY_EVERY_MS)
      if (relayed) logger.info({ relayed }, 'jobs: relayed outbox rows')
    }
    for (const job of this.registry.list()) {
      if (!job.schedule) continue
      const tick = previousTick(job.schedule, now)
      if (tick === null || now - tick > this.config.scheduleCatchUpMs) continue
      if ((this.#handled.get(job.name) ?? 0) >= tick) continue
      await this.dispatchTick(job, tick)
      this.#handled.set(job.name, tick)
    }
    if (now - this.#lastPrune >= PRUNE_EVERY_MS) {
      this.#lastPrune = now
      await this.prune(now)
    }
  }

  /** Claims (job, tick) and dispatches it to every tenant that has the job's plugin; false when taken */
  async dispatchTick(job: RegisteredJob, tick: number) {
    const tenants: Array<{ id: number }> = await db.from('tenants').where('status', 'active').select('id')
    const targets: number[] = []
    for (const { id } of tenants) {
      if (job.plugin === 'kernel' || (await plugins.enabledFor(id)).has(job.plugin)) targets.push(id)
    }
    return db.transaction(async (trx) => {
      const row = { name: job.name, tick, claimed_by: this.id, created_at: Date.now() }
      if (!(await insertIgnore(trx, 'job_schedule_ticks', row, ['name', 'tick']))) return false
      for (const tenantId of targets) {
        const envelope = this.registry.envelope(job.name, { tenantId }, { jobId: `${job.name}@${tick}-${tenantId}` })
        await this.driver.enqueue(envelope, trx)
      }
      return true
    })
  }

  async prune(now: number) {
    const { completedMs, failedMs } = this.config.retention
    await db
      .from('job_runs')
      .whereIn('status', ['completed', 'skipped', 'discarded'])
      .where('updated_at', '<', now - completedMs)
      .delete()
    await db.from('job_runs').where('status', 'failed').where('updated_at', '<', now - failedMs).delete()
    await db
      .from('job_schedule_ticks')
      .where('created_at', '<', now - Math.max(this.config.scheduleCatchUpMs * 2, 48 * 3600 * 1000))
      .delete()
  }
}
