/*
| The scale-out driver: BullMQ on Redis, consumed by `node ace queue:work` processes (retries with
| backoff, stalled-job recovery, per-queue concurrency and rate limits are BullMQ's). job_runs is
| kept as the per-tenant view of its jobs (batched, order-safe upserts) and as the outbox for
| dispatches made inside a database transaction.
*/
import { Job, Queue, Worker } from 'bullmq'
import { Redis } from 'ioredis'
import db from '@adonisjs/lucid/services/db'
import logger from '@adonisjs/core/services/logger'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type { JobsConfig } from '#config/jobs'
import type { JobRegistry } from '#jobs/registry'
import { backoffDelay, runAttempt } from '#jobs/runner'
import { envelopeOf, envelopeRow, insertJobRow } from '#jobs/job_store'
import { errorText } from '#jobs/database_driver'
import { Scheduler } from '#jobs/scheduler'
import { JobStateError } from '#jobs/errors'
import type { JobDriver, JobEnvelope, RunningWorker, WorkerOptions } from '#jobs/types'

/** Stored in Redis: the envelope plus the retry generation (admin retries start a new one) */
type BullData = JobEnvelope & { epoch?: number }

/*
| Rank orders reports about one job that reach job_runs from several processes out of order:
| epoch * 1000 + 3 * attempt + phase (0 queued, 1 running, 2 finished that attempt).
*/
const rank = (epoch: number, attempt: number, phase: 0 | 1 | 2) => epoch * 1000 + 3 * attempt + phase
const epochOf = (r: number) => Math.floor(r / 1000)
const FINAL = 999

/** BullMQ ids may not contain ":" nor be integers */
export const bullId = (id: string) => `cf-${encodeURIComponent(id)}`

const MERGED = [
  'status',
  'attempts',
  'run_at',
  'progress',
  'progress_message',
  'last_error',
  'rank',
  'outbox',
  'started_at',
  'finished_at',
  'updated_at',
]

/** Coalesces job_runs updates and writes them in one upsert per flush */
class RunMirror {
  #pending = new Map<string, Record<string, any>>()
  #timer: NodeJS.Timeout | null = null
  #flushing: Promise<void> = Promise.resolve()

  push(row: Record<string, any>) {
    const current = this.#pending.get(row.id)
    if (!current || current.rank <= row.rank) this.#pending.set(row.id, row)
    if (this.#pending.size >= 500) void this.flush()
    else this.#timer ??= setTimeout(() => void this.flush(), 100)
  }

  flush(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer)
    this.#timer = null
    const rows = [...this.#pending.values()]
    this.#pending.clear()
    this.#flushing = this.#flushing.then(() => this.#write(rows))
    return this.#flushing
  }

  async #write(rows: Record<string, any>[]) {
    if (!rows.length) return
    const knex = db.connection().getWriteClient()
    try {
      for (let i = 0; i < rows.length; i += 500) {
        await knex('job_runs')
          .insert(rows.slice(i, i + 500))
          .onConflict('id')
          .merge(MERGED)
          .where('job_runs.rank', '<=', knex.raw('excluded.rank'))
      }
    } catch (error) {
      logger.error({ err: error, rows: rows.length }, 'jobs: updating job_runs failed')
    }
  }
}

export class BullMQDriver implements JobDriver {
  readonly name = 'bullmq' as const
  #connection: Redis | null = null
  #queues = new Map<string, Queue>()
  #workers = new Set<Worker>()
  #mirror = new RunMirror()

  constructor(
    private registry: JobRegistry,
    private config: JobsConfig
  ) {}

  #redis() {
    this.#connection ??= new Redis(this.config.redis.url, { maxRetriesPerRequest: null })
    return this.#connection
  }

  queue(name: string) {
    let queue = this.#queues.get(name)
    if (!queue) {
      queue = new Queue(name, { connection: this.#redis(), prefix: this.config.redis.prefix })
      this.#queues.set(name, queue)
    }
    return queue
  }

  async #add(job: BullData) {
    await this.queue(job.queue).add(job.name, job, {
      jobId: bullId(job.id),
      attempts: job.maxAttempts,
      backoff: job.backoff,
      delay: Math.max(0, job.runAt - Date.now()),
      /* job_runs keeps the history (and the ids that dedupe dispatches); Redis only the work */
      removeOnComplete: true,
      removeOnFail: { age: 7 * 24 * 3600 },
    })
  }

  async enqueue(job: JobEnvelope, client?: TransactionClientContract) {
    if (client) {
      const inserted = await insertJobRow(job, client, { outbox: true })
      /* a savepoint's "commit" is not the commit: the relay hands those rows over instead */
      const nested = Boolean((client.knexClient as { parentTransaction?: unknown }).parentTransaction)
      if (inserted && !nested) {
        client.after('commit', () => {
          this.#handOver(job).catch((error) =>
            logger.warn({ err: error, jobId: job.id }, 'jobs: hand-over after commit failed; the relay retries it')
          )
        })
      }
      return inserted
    }
    /* The row first, as an outbox row: it dedupes by id, and if the process dies before Redis
       has the job, the relay hands it over */
    if (!(await insertJobRow(job, db.connection(), { outbox: true }))) return false
    await this.#handOver(job)
    return true
  }

  async #handOver(job: BullData) {
    await this.#add(job)
    this.#mirror.push(envelopeRow(job, { outbox: false, rank: rank(job.epoch ?? 0, 1, 0) }))
  }

  async relayOutbox(olderThanMs = 0) {
    const rows = await db
      .from('job_runs')
      .where('outbox', true)
      .where('created_at', '<=', Date.now() - olderThanMs)
      .orderBy('created_at')
      .limit(500)
    for (const row of rows) {
      /* a row a worker already reported on was handed over before the crash */
      if (Number(row.rank) % 1000 > 3) {
        await db.from('job_runs').where('id', row.id).update({ outbox: false })
        continue
      }
      await this.#handOver({ ...envelopeOf(row), epoch: epochOf(Number(row.rank)) })
    }
    return rows.length
  }

  async work(options: WorkerOptions = {}): Promise<RunningWorker> {
    const queues = options.queues ?? Object.keys(this.config.queues)
    const workers = queues.map((name) => this.#worker(name))
    const scheduler = options.scheduler === false ? null : new Scheduler(this.registry, this.config, this)
    scheduler?.start()
    await Promise.all(workers.map((w) => w.waitUntilReady()))
    return {
      stop: async () => {
        await scheduler?.stop()
        /* close() waits for the jobs in flight to finish */
        await Promise.all(workers.map((w) => w.close()))
        for (const w of workers) this.#workers.delete(w)
        await this.#mirror.flush()
      },
    }
  }

  #worker(name: string) {
    const queueConfig = this.config.queues[name] ?? { concurrency: 1 }
    const worker = new Worker(name, (job) => this.#process(job as Job<BullData>), {
      connection: this.#redis(),
      prefix: this.config.redis.prefix,
      concurrency: queueConfig.concurrency,
      limiter: queueConfig.rateLimit,
      lockDuration: this.config.leaseMs,
      stalledInterval: this.config.leaseMs,
      maxStalledCount: 3,
    })
    worker.on('failed', (job, error) => {
      /* failures the processor did not see: stalled too often */
      if (job && /stalled/i.test(error.message)) {
        const data = job.data as BullData
        this.#mirror.push(
          envelopeRow(data, {
            status: 'failed',
            attempts: job.attemptsMade,
            rank: rank(data.epoch ?? 0, job.attemptsMade + 1, 2),
            last_error: errorText(error),
            finished_at: Date.now(),
          })
        )
      }
    })
    worker.on('error', (error) => logger.error({ err: error }, 'jobs: BullMQ worker error'))
    this.#workers.add(worker)
    return worker
  }

  async #process(job: Job<BullData>) {
    const data = job.data
    const epoch = data.epoch ?? 0
    const attempt = job.attemptsMade + 1
    const now = Date.now()
    this.#mirror.push(
      envelopeRow(data, {
        status: 'running',
        attempts: attempt,
        rank: rank(epoch, attempt, 1),
        started_at: now,
        progress: null,
        progress_message: null,
      })
    )
    const outcome = await runAttempt(
      this.registry,
      {
        id: data.id,
        name: data.name,
        tenantId: data.tenantId,
        payload: data.payload,
        attempt,
        maxAttempts: data.maxAttempts,
        timeoutMs: data.timeoutMs,
      },
      async (percent, message) => {
        await job.updateProgress({ percent, message })
        this.#mirror.push(
          envelopeRow(data, {
            status: 'running',
            attempts: attempt,
            rank: rank(epoch, attempt, 1),
            started_at: now,
            progress: percent,
            progress_message: message?.slice(0, 255) ?? null,
          })
        )
      }
    )
    const finished = { attempts: attempt, rank: rank(epoch, attempt, 2), started_at: now, updated_at: Date.now() }
    if (outcome.status === 'completed') {
      this.#mirror.push(envelopeRow(data, { ...finished, status: 'completed', progress: 100, finished_at: Date.now() }))
      return
    }
    if (outcome.status === 'skipped') {
      this.#mirror.push(
        envelopeRow(data, { ...finished, status: 'skipped', last_error: outcome.reason, finished_at: Date.now() })
      )
      return { skipped: outcome.reason }
    }
    const last = attempt >= data.maxAttempts
    this.#mirror.push(
      envelopeRow(data, {
        ...finished,
        status: last ? 'failed' : 'queued',
        run_at: last ? now : Date.now() + backoffDelay(data.backoff, attempt),
        last_error: errorText(outcome.error),
        finished_at: last ? Date.now() : null,
      })
    )
    throw outcome.error
  }

  async drain(options: { queues?: string[]; timeoutMs?: number } = {}) {
    const queues = options.queues ?? [
      ...new Set([...Object.keys(this.config.queues), ...this.registry.list().map((j) => j.queue)]),
    ]
    await this.#mirror.flush()
    await this.relayOutbox(0)
    const workers = queues.map((name) => this.#worker(name))
    const deadline = Date.now() + (options.timeoutMs ?? 30_000)
    try {
      while (Date.now() < deadline) {
        let busy = 0
        for (const name of queues) {
          const counts = await this.queue(name).getJobCounts('wait', 'active', 'prioritized')
          busy += counts.wait + counts.active + counts.prioritized
        }
        if (busy === 0) return
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
      throw new Error('jobs.drain() timed out with jobs still due')
    } finally {
      await Promise.all(workers.map((w) => w.close()))
      for (const w of workers) this.#workers.delete(w)
      await this.#mirror.flush()
    }
  }

  async retry(tenantId: number, id: string) {
    await this.#mirror.flush()
    const row = await db.from('job_runs').where({ tenant_id: tenantId, id }).first()
    if (!row || !['failed', 'discarded', 'skipped'].includes(row.status)) throw new JobStateError(id, 'retry')
    const epoch = epochOf(Number(row.rank)) + 1
    const existing = await Job.fromId(this.queue(row.queue), bullId(id))
    if (existing) {
      const state = await existing.getState()
      if (state === 'active') throw new JobStateError(id, 'retry')
      await existing.remove()
    }
    const now = Date.now()
    await db
      .from('job_runs')
      .where({ tenant_id: tenantId, id })
      .update({
        status: 'queued',
        attempts: 0,
        rank: rank(epoch, 1, 0),
        run_at: now,
        progress: null,
        progress_message: null,
        finished_at: null,
        updated_at: now,
      })
    await this.#add({ ...envelopeOf(row), runAt: now, epoch })
  }

  async discard(tenantId: number, id: string) {
    await this.#mirror.flush()
    const row = await db.from('job_runs').where({ tenant_id: tenantId, id }).first()
    if (!row || !['queued', 'failed'].includes(row.status)) throw new JobStateError(id, 'discard')
    const existing = await Job.fromId(this.queue(row.queue), bullId(id))
    if (existing) {
      const state = await existing.getState()
      if (state === 'active') throw new JobStateError(id, 'discard')
      await existing.remove()
    }
    const now = Date.now()
    await db
      .from('job_runs')
      .where({ tenant_id: tenantId, id })
      .update({
        status: 'discarded',
        outbox: false,
        rank: epochOf(Number(row.rank)) * 1000 + FINAL,
        finished_at: now,
        updated_at: now,
      })
  }

  /** Counts per queue and state, straight from Redis (queue:status) */
  async redisCounts() {
    const out: Record<string, Record<string, number>> = {}
    for (const name of Object.keys(this.config.queues)) {
      out[name] = await this.queue(name).getJobCounts('wait', 'active', 'delayed', 'failed', 'completed')
    }
    return out
  }

  async close() {
    await Promise.all([...this.#workers].map((w) => w.close()))
    this.#workers.clear()
    await this.#mirror.flush()
    await Promise.all([...this.#queues.values()].map((q) => q.close()))
    this.#queues.clear()
    if (this.#connection) {
      await this.#connection.quit().catch(() => {})
      this.#connection = null
    }
  }
}
