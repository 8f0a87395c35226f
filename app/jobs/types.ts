/*
| Shared types of the jobs service: what a handler receives, the options of define/dispatch, and
| the contract both drivers (embedded database, BullMQ) implement.
*/
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'

export type JobPayload = { tenantId: number } & Record<string, unknown>

export interface JobContext {
  jobId: string
  /** 1 for the first run, 2 for the first retry, ... */
  attempt: number
  tenantId: number
  /** Records progress (0-100) shown on the admin jobs page */
  progress(percent: number, message?: string): Promise<void>
}

export type JobHandler<P extends JobPayload = JobPayload> = (payload: P, ctx: JobContext) => Promise<void>

export interface BackoffOptions {
  type: 'exponential' | 'fixed'
  /** milliseconds: the fixed wait, or the first wait that doubles on each retry */
  delay: number
}

export interface DefineOptions {
  /** total runs including the first (default 5) */
  attempts?: number
  backoff?: BackoffOptions
  queue?: string
  timeoutMs?: number
  /** cron expression (5 or 6 fields): dispatched once per tick for every tenant that has the job's plugin */
  schedule?: string
}

export interface DispatchOptions {
  /** milliseconds before the job becomes due */
  delay?: number
  /** a stable id makes dispatch idempotent: a second dispatch with the same id is ignored */
  jobId?: string
  /** outbox: the job is enqueued only once this transaction commits, and survives a crash after it */
  client?: TransactionClientContract
}

export type JobStatus = 'queued' | 'running' | 'completed' | 'failed' | 'discarded' | 'skipped'
export const JOB_STATUSES: JobStatus[] = ['queued', 'running', 'completed', 'failed', 'discarded', 'skipped']

/** A job as the drivers enqueue it: fully resolved options */
export interface JobEnvelope {
  id: string
  name: string
  queue: string
  tenantId: number
  payload: JobPayload
  maxAttempts: number
  backoff: BackoffOptions
  timeoutMs: number | null
  runAt: number
}

/** What a driver hands the runner for one attempt */
export interface ClaimedJob {
  id: string
  name: string
  tenantId: number
  payload: JobPayload
  attempt: number
  maxAttempts: number
  timeoutMs: number | null
}

/** The outcome of one attempt, reported back to the driver */
export type AttemptOutcome =
  | { status: 'completed' }
  | { status: 'skipped'; reason: string }
  | { status: 'failed'; error: Error }

export interface WorkerOptions {
  /** queues to consume; all configured queues when omitted */
  queues?: string[]
  /** run the cron scheduler and the outbox relay in this process too */
  scheduler?: boolean
}

export interface RunningWorker {
  /** stops taking jobs, waits for the ones in flight, then resolves */
  stop(): Promise<void>
}

export interface JobDriver {
  readonly name: 'database' | 'bullmq'
  /** Enqueues a job; returns false when a job with that id already exists */
  enqueue(job: JobEnvelope, client?: TransactionClientContract): Promise<boolean>
  /** Processes jobs until stopped */
  work(options: WorkerOptions): Promise<RunningWorker>
  /** Runs due jobs in this process until none is left (tests, scripts) */
  drain(options?: { queues?: string[]; timeoutMs?: number }): Promise<void>
  /** Re-queues a failed or discarded job of the tenant */
  retry(tenantId: number, id: string): Promise<void>
  /** Removes a queued or failed job from the queue; its row stays as "discarded" */
  discard(tenantId: number, id: string): Promise<void>
  /** Enqueues outbox rows whose transaction committed but whose hand-over did not happen */
  relayOutbox(olderThanMs?: number): Promise<number>
  close(): Promise<void>
}
