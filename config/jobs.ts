/*
| Jobs: which driver runs them, where, and how each queue is consumed.
*/
import env from '#start/env'

const driver = env.get('JOBS_DRIVER') ?? (env.get('REDIS_URL') ? 'bullmq' : 'database')

export interface QueueConfig {
  /** jobs of this queue run at the same time in one worker process */
  concurrency: number
  /** at most `max` job starts per `duration` ms (BullMQ: across all workers; embedded: per process) */
  rateLimit?: { max: number; duration: number }
}

const concurrency = env.get('JOBS_CONCURRENCY', 5)

const jobsConfig = {
  driver: driver as 'database' | 'bullmq',

  /* The embedded setup runs jobs in the web process; with BullMQ, `node ace queue:work` does */
  inProcess: env.get('JOBS_IN_PROCESS', driver === 'database'),

  /* A running job whose worker has not renewed its lease for this long is run again */
  leaseMs: env.get('JOBS_LEASE_MS', 30_000),

  /* Embedded driver: how often an idle worker looks for due jobs */
  pollMs: env.get('JOBS_POLL_MS', 500),

  queues: {
    default: { concurrency },
    mail: { concurrency, rateLimit: { max: 20, duration: 1000 } },
    webhooks: { concurrency: concurrency * 2 },
  } as Record<string, QueueConfig>,

  /* A cron tick missed while no process ran is still dispatched if it is at most this old */
  scheduleCatchUpMs: 60 * 60 * 1000,

  /* Finished jobs are kept this long for the admin page, then pruned */
  retention: { completedMs: 7 * 24 * 3600 * 1000, failedMs: 30 * 24 * 3600 * 1000 },

  redis: {
    url: env.get('REDIS_URL') ?? 'redis://127.0.0.1:6379',
    /* each test run gets its own keys, so parallel runs never share a queue */
    prefix:
      env.get('JOBS_REDIS_PREFIX') ??
      (env.get('NODE_ENV') === 'test' ? `coderon-test-${process.pid}` : 'coderon-jobs'),
  },
}

export type JobsConfig = typeof jobsConfig

export default jobsConfig
