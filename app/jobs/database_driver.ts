/*
| The embedded driver: job_runs is the queue. A worker claims due rows with one atomic UPDATE
| (FOR UPDATE SKIP LOCKED on PostgreSQL; SQLite serialises writers), holds a lease it renews while
| the job runs, and a row whose lease ran out (its worker died) is claimed again.
*/
import db from '@adonisjs/lucid/services/db'
import logger from '@adonisjs/core/services/logger'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type { JobsConfig } from '#config/jobs'
import type { JobRegistry } from '#jobs/registry'
import { backoffDelay, runAttempt, workerId } from '#jobs/runner'
import { insertJobRow, isPostgres, toClaimed } from '#jobs/job_store'
import { Scheduler } from '#jobs/scheduler'
import { JobStateError } from '#jobs/errors'
import type { AttemptOutcome, JobDriver, JobEnvelope, RunningWorker, WorkerOptions } from '#jobs/types'

type Claimed = ReturnType<typeof toClaimed>

export class DatabaseDriver implements JobDriver {
  readonly name = 'database' as const
  #workers = new Set<DatabaseWorker>()

  constructor(
    private registry: JobRegistry,
    private config: JobsConfig
  ) {}

  async enqueue(job: JobEnvelope, client?: TransactionClientContract) {
    const inserted = await insertJobRow(job, client)
    if (inserted) {
      if (client) client.after('commit', () => this.#wake())
      else this.#wake()
    }
    return inserted
  }

  /** Jobs dispatched in this process start at once instead of at the next poll */
  #wake() {
    for (const worker of this.#workers) worker.wake()
  }

  async work(options: WorkerOptions = {}): Promise<RunningWorker> {
    const worker = new DatabaseWorker(this.registry, this.config, options.queues ?? Object.keys(this.config.queues))
    this.#workers.add(worker)
    const scheduler = options.scheduler === false ? null : new Scheduler(this.registry, this.config, this)
    worker.start()
    scheduler?.start()
    return {
      stop: async () => {
        await scheduler?.stop()
        await worker.stop()
        this.#workers.delete(worker)
      },
    }
  }

  async drain(options: { queues?: string[]; timeoutMs?: number } = {}) {
    const worker = new DatabaseWorker(this.registry, this.config, options.queues ?? this.#allQueues())
    const deadline = Date.now() + (options.timeoutMs ?? 30_000)
    while (Date.now() < deadline) {
      const ran = await worker.runDue()
      if (ran === 0) return
    }
    throw new Error('jobs.drain() timed out with jobs still due')
  }

  /** Queues named in config plus any a definition uses, so drain() never misses a job */
  #allQueues() {
    return [...new Set([...Object.keys(this.config.queues), ...this.registry.list().map((j) => j.queue)])]
  }

  async retry(tenantId: number, id: string) {
    const now = Date.now()
    const updated = await db
      .from('job_runs')
      .where({ tenant_id: tenantId, id })
      .whereIn('status', ['failed', 'discarded', 'skipped'])
      .update({
        status: 'queued',
        attempts: 0,
        run_at: now,
        progress: null,
        progress_message: null,
        finished_at: null,
        updated_at: now,
      })
    if (!updated) throw new JobStateError(id, 'retry')
    this.#wake()
  }

  async discard(tenantId: number, id: string) {
    const now = Date.now()
    const updated = await db
      .from('job_runs')
      .where({ tenant_id: tenantId, id })
      .whereIn('status', ['queued', 'failed'])
      .update({ status: 'discarded', locked_by: null, locked_until: null, finished_at: now, updated_at: now })
    if (!updated) throw new JobStateError(id, 'discard')
  }

  /** The job row is the outbox here: it commits with the caller's transaction, nothing to relay */
  async relayOutbox() {
    return 0
  }

  async close() {
    await Promise.all([...this.#workers].map((w) => w.stop()))
    this.#workers.clear()
  }
}

class DatabaseWorker {
  readonly id = workerId()
  #inFlight = new Map<string, { queue: string; done: Promise<void> }>()
  #stopping = false
  #loop: Promise<void> | null = null
  #wakeUp: (() => void) | null = null
  /** a wake-up that came while the loop was busy: the next idle() returns at once */
  #woken = false
  #heartbeat: NodeJS.Timeout | null = null
  #rateWindows = new Map<string, { start: number; count: number }>()
  #finishing: Array<{ job: Claimed; outcome: AttemptOutcome; resolve: () => void; reject: (e: unknown) => void }> = []
  #flushing: Promise<void> | null = null

  constructor(
    private registry: JobRegistry,
    private config: JobsConfig,
    private queues: string[]
  ) {}

  start() {
    this.#loop = this.#run()
    this.#heartbeat = setInterval(() => {
      this.#renewLeases().catch((error) => logger.error({ err: error }, 'jobs: lease renewal failed'))
    }, Math.max(250, Math.floor(this.config.leaseMs / 3)))
  }

  wake() {
    if (this.#wakeUp) this.#wakeUp()
    else this.#woken = true
  }

  async stop() {
    this.#stopping = true
    this.wake()
    await this.#loop
    await Promise.all([...this.#inFlight.values()].map((j) => j.done))
    if (this.#heartbeat) clearInterval(this.#heartbeat)
  }

  async #run() {
    while (!this.#stopping) {
      let started = 0
      try {
        for (const queue of this.queues) started += await this.#fill(queue)
      } catch (error) {
        logger.error({ err: error }, 'jobs: claiming failed')
      }
      if (this.#stopping) break
      if (started === 0 || this.#full()) await this.#idle()
    }
  }

  #full() {
    return this.queues.every((q) => this.#active(q) >= this.#concurrency(q))
  }

  #idle() {
    if (this.#woken) {
      this.#woken = false
      return Promise.resolve()
    }
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer)
        this.#wakeUp = null
        resolve()
      }
      const timer = setTimeout(done, this.config.pollMs)
      this.#wakeUp = done
    })
  }

  #concurrency(queue: string) {
    return this.config.queues[queue]?.concurrency ?? 1
  }

  #active(queue: string) {
    let n = 0
    for (const job of this.#inFlight.values()) if (job.queue === queue) n++
    return n
  }

  /** How many more jobs this process may start on the queue in the current rate window */
  #allowance(queue: string, wanted: number) {
    const limit = this.config.queues[queue]?.rateLimit
    if (!limit) return wanted
    const now = Date.now()
    let window = this.#rateWindows.get(queue)
    if (!window || now - window.start >= limit.duration) {
      window = { start: now, count: 0 }
      this.#rateWindows.set(queue, window)
    }
    return Math.max(0, Math.min(wanted, limit.max - window.count))
  }

  async #fill(queue: string) {
    const concurrency = this.#concurrency(queue)
    const active = this.#active(queue)
    /* claiming costs a commit: while jobs run, wait until half the slots are free */
    if (active > 0 && concurrency - active < Math.ceil(concurrency / 2)) return 0
    const free = this.#allowance(queue, concurrency - active)
    if (free <= 0) return 0
    const claimed = await this.claim(queue, free)
    const window = this.#rateWindows.get(queue)
    if (window) window.count += claimed.length
    for (const job of claimed) {
      const done = this.#execute(job).finally(() => {
        this.#inFlight.delete(job.id)
        this.wake()
      })
      this.#inFlight.set(job.id, { queue, done })
    }
    return claimed.length
  }

  /** Claims and runs every due job once, sequentially per claim batch (drain) */
  async runDue() {
    let ran = 0
    for (const queue of this.queues) {
      const claimed = await this.claim(queue, 50)
      for (const job of claimed) await this.#execute(job)
      ran += claimed.length
    }
    return ran
  }

  async claim(queue: string, limit: number): Promise<Claimed[]> {
    const now = Date.now()
    const until = now + this.config.leaseMs
    const pg = isPostgres()
    const lock = pg ? 'for update skip locked' : ''
    const result = await db.rawQuery(
      `update job_runs
          set status = 'running', attempts = attempts + 1, locked_by = ?, locked_until = ?,
              started_at = ?, updated_at = ?, progress = null, progress_message = null
        where id in (
          select id from job_runs
           where queue = ?
             and ((status = 'queued' and run_at <= ?) or (status = 'running' and locked_until < ?))
           order by run_at
           limit ? ${lock})
        returning id, name, tenant_id, payload, attempts, max_attempts, timeout_ms, backoff_type, backoff_delay`,
      [this.id, until, now, now, queue, now, now, limit]
    )
    const rows: any[] = pg ? result.rows : result
    const claimed: Claimed[] = []
    for (const row of rows) {
      const job = toClaimed(row)
      if (job.attempt > job.maxAttempts) {
        /* its last attempt's worker died mid-job: that attempt counts */
        await this.#finish(job, {
          status: 'failed',
          error: new Error('The worker running this job stopped before it finished (lease expired)'),
        })
        continue
      }
      claimed.push(job)
    }
    return claimed
  }

  async #execute(job: Claimed) {
    const outcome = await runAttempt(this.registry, job, async (percent, message) => {
      await db
        .from('job_runs')
        .where({ id: job.id, locked_by: this.id, attempts: job.attempt })
        .update({ progress: percent, progress_message: message?.slice(0, 255) ?? null, updated_at: Date.now() })
    })
    try {
      await this.#finish(job, outcome)
    } catch (error) {
      /* the lease will expire and the job run again: handlers are idempotent */
      logger.error({ err: error, jobId: job.id }, 'jobs: recording the outcome failed')
    }
  }

  /*
  | Outcomes are written in one transaction per batch (group commit): on SQLite every commit is
  | an fsync, so writing them one by one would cap a worker at a few hundred jobs per second.
  */
  #finish(job: Claimed, outcome: AttemptOutcome): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#finishing.push({ job, outcome, resolve, reject })
      if (!this.#flushing) this.#flushing = this.#flushOutcomes().finally(() => (this.#flushing = null))
    })
  }

  async #flushOutcomes() {
    while (this.#finishing.length) {
      const batch = this.#finishing.splice(0, 200)
      try {
        await db.transaction(async (trx) => {
          const completed = batch.filter((item) => item.outcome.status === 'completed').map((item) => item.job)
          await this.#writeCompleted(trx, completed)
          for (const { job, outcome } of batch) {
            if (outcome.status !== 'completed') await this.#writeOutcome(trx, job, outcome)
          }
        })
        for (const item of batch) item.resolve()
      } catch (error) {
        for (const item of batch) item.reject(error)
      }
    }
  }

  /** The common case in one statement: each row still held by this worker for that attempt */
  async #writeCompleted(trx: TransactionClientContract, jobs: Claimed[]) {
    if (!jobs.length) return
    const now = Date.now()
    const pairs = jobs.map(() => '(?, ?)').join(', ')
    await trx.rawQuery(
      `update job_runs
          set status = 'completed', progress = 100, finished_at = ?, last_error = null,
              locked_by = null, locked_until = null, updated_at = ?
        where locked_by = ? and (id, attempts) in (${pairs})`,
      [now, now, this.id, ...jobs.flatMap((job) => [job.id, job.attempt])]
    )
  }

  async #writeOutcome(trx: TransactionClientContract, job: Claimed, outcome: AttemptOutcome) {
    const now = Date.now()
    const mine = trx.from('job_runs').where({ id: job.id, locked_by: this.id, attempts: job.attempt })
    const released = { locked_by: null, locked_until: null, updated_at: now }
    if (outcome.status === 'completed') {
      await this.#writeCompleted(trx, [job])
    } else if (outcome.status === 'skipped') {
      await mine.update({ ...released, status: 'skipped', finished_at: now, last_error: outcome.reason })
    } else if (job.attempt < job.maxAttempts) {
      const wait = backoffDelay({ type: job.backoffType, delay: job.backoffDelay }, job.attempt)
      await mine.update({ ...released, status: 'queued', run_at: now + wait, last_error: errorText(outcome.error) })
    } else {
      await mine.update({ ...released, status: 'failed', finished_at: now, last_error: errorText(outcome.error) })
      logger.warn({ jobId: job.id, job: job.name, err: outcome.error }, 'jobs: job failed after its last attempt')
    }
  }

  async #renewLeases() {
    const ids = [...this.#inFlight.keys()]
    if (!ids.length) return
    await db
      .from('job_runs')
      .whereIn('id', ids)
      .where({ locked_by: this.id, status: 'running' })
      .update({ locked_until: Date.now() + this.config.leaseMs })
  }
}

export function errorText(error: Error) {
  return `${error.name}: ${error.message}`.slice(0, 4000)
}
