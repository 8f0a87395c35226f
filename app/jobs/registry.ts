/*
| The job definitions known to this process: defined in code with jobs.define() or declared in
| plugin manifests (lazy handlers), plus the payload rules every dispatch is checked against.
*/
import type { JobDefinition } from '#kernel/plugin_manifest'
import { randomUUID } from 'node:crypto'
import type { BackoffOptions, DefineOptions, JobEnvelope, JobHandler, JobPayload } from '#jobs/types'
import { DomainError } from '#exceptions/domain_errors'
import { assertCron } from '#jobs/cron'

export const JOB_NAME = /^[a-z][a-z0-9_]*:[a-z][a-z0-9_]*$/

export const DEFAULT_ATTEMPTS = 5
export const DEFAULT_BACKOFF: BackoffOptions = { type: 'exponential', delay: 5000 }
/** "ids only": a payload larger than this is a design error, not data */
export const MAX_PAYLOAD_BYTES = 16 * 1024
/** Caller-chosen ids (dedupe keys): safe in a URL path segment */
export const JOB_ID = /^[A-Za-z0-9_.:@=+-]{1,160}$/

export interface RegisteredJob {
  name: string
  /** the plugin id before the colon; "kernel" for kernel jobs */
  plugin: string
  attempts: number
  backoff: BackoffOptions
  queue: string
  timeoutMs: number | null
  schedule: string | null
  handler(): Promise<JobHandler>
}

export class InvalidJobError extends DomainError {
  constructor(message: string) {
    super(message, { code: 'E_INVALID_JOB', status: 500 })
  }
}

export class UnknownJobError extends DomainError {
  constructor(name: string) {
    super(`Job "${name}" is not defined`, { code: 'E_UNKNOWN_JOB', status: 500 })
  }
}

export class JobRegistry {
  #jobs = new Map<string, RegisteredJob>()

  define(name: string, handler: JobHandler<any> | (() => Promise<JobHandler<any>>), options: DefineOptions = {}, lazy = false) {
    if (!JOB_NAME.test(name)) {
      throw new InvalidJobError(`Job name "${name}" must be <plugin>:<verb_noun> (snake_case)`)
    }
    if (this.#jobs.has(name)) {
      throw new InvalidJobError(`Job "${name}" is already defined`)
    }
    const attempts = options.attempts ?? DEFAULT_ATTEMPTS
    if (!Number.isInteger(attempts) || attempts < 1) {
      throw new InvalidJobError(`Job "${name}": attempts must be a positive integer`)
    }
    const backoff = options.backoff ?? DEFAULT_BACKOFF
    if (!['exponential', 'fixed'].includes(backoff.type) || !(backoff.delay >= 0)) {
      throw new InvalidJobError(`Job "${name}": backoff must be { type: 'exponential' | 'fixed', delay >= 0 }`)
    }
    if (options.schedule) assertCron(name, options.schedule)
    let resolved: Promise<JobHandler> | null = null
    const job: RegisteredJob = {
      name,
      plugin: name.slice(0, name.indexOf(':')),
      attempts,
      backoff,
      queue: options.queue ?? 'default',
      timeoutMs: options.timeoutMs ?? null,
      schedule: options.schedule ?? null,
      handler: lazy
        ? () => (resolved ??= (handler as () => Promise<JobHandler>)())
        : async () => handler as JobHandler,
    }
    this.#jobs.set(name, job)
    return job
  }

  /** Adds the jobs a plugin manifest declares; their handler modules load on first run */
  defineFromManifest(pluginId: string, jobs: Record<string, JobDefinition>) {
    for (const [name, def] of Object.entries(jobs)) {
      if (!name.startsWith(`${pluginId}:`)) {
        throw new InvalidJobError(`Plugin "${pluginId}": job "${name}" must be named ${pluginId}:<verb_noun>`)
      }
      if (this.#jobs.has(name)) continue
      this.define(name, async () => (await def.handler()).default as JobHandler, { schedule: def.schedule }, true)
    }
  }

  /** Checks a dispatch and resolves it into what the drivers enqueue */
  envelope(name: string, payload: unknown, options: { delay?: number; jobId?: string } = {}): JobEnvelope {
    const job = this.require(name)
    const clean = validatePayload(name, payload)
    if (options.jobId !== undefined && !JOB_ID.test(options.jobId)) {
      throw new InvalidJobError(`Job "${name}": jobId must match ${JOB_ID}`)
    }
    const delay = options.delay ?? 0
    if (!Number.isFinite(delay) || delay < 0) {
      throw new InvalidJobError(`Job "${name}": delay must be a non-negative number of milliseconds`)
    }
    return {
      id: options.jobId ?? randomUUID(),
      name,
      queue: job.queue,
      tenantId: clean.tenantId,
      payload: clean,
      maxAttempts: job.attempts,
      backoff: job.backoff,
      timeoutMs: job.timeoutMs,
      runAt: Date.now() + delay,
    }
  }

  get(name: string) {
    return this.#jobs.get(name)
  }

  require(name: string) {
    const job = this.#jobs.get(name)
    if (!job) throw new UnknownJobError(name)
    return job
  }

  list() {
    return [...this.#jobs.values()]
  }

  /** Test support: forget a definition */
  remove(name: string) {
    this.#jobs.delete(name)
  }
}

/** Checks the "ids plus tenantId, JSON only" rule and returns the payload as stored */
export function validatePayload(name: string, payload: unknown): JobPayload {
  if (!isPlainObject(payload)) {
    throw new InvalidJobError(`Job "${name}": payload must be a plain object`)
  }
  const tenantId = (payload as Record<string, unknown>).tenantId
  if (!Number.isInteger(tenantId) || (tenantId as number) < 1) {
    throw new InvalidJobError(`Job "${name}": payload.tenantId must be a positive integer`)
  }
  const problem = jsonProblem(payload, 'payload')
  if (problem) throw new InvalidJobError(`Job "${name}": ${problem}`)
  const json = JSON.stringify(payload)
  if (Buffer.byteLength(json) > MAX_PAYLOAD_BYTES) {
    throw new InvalidJobError(`Job "${name}": payload exceeds ${MAX_PAYLOAD_BYTES} bytes; pass ids, not data`)
  }
  return JSON.parse(json)
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

function jsonProblem(value: unknown, path: string): string | null {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return null
  if (typeof value === 'number') return Number.isFinite(value) ? null : `${path} is not a finite number`
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const problem = jsonProblem(item, `${path}[${i}]`)
      if (problem) return problem
    }
    return null
  }
  if (isPlainObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      const problem = jsonProblem(item, `${path}.${key}`)
      if (problem) return problem
    }
    return null
  }
  return `${path} is not JSON-serialisable (${value === undefined ? 'undefined' : (value as object).constructor?.name ?? typeof value})`
}
