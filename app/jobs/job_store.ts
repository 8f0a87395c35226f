/*
| SQL access to job_runs shared by both drivers and the admin page: inserting a job (optionally
| inside a caller's transaction), per-tenant listing, and the row <-> job mappings.
*/
import db from '@adonisjs/lucid/services/db'
import type { QueryClientContract, TransactionClientContract } from '@adonisjs/lucid/types/database'
import type { ClaimedJob, JobEnvelope, JobStatus } from '#jobs/types'

export interface JobRunRow {
  id: string
  name: string
  queue: string
  tenantId: number
  payload: Record<string, unknown>
  status: JobStatus
  attempts: number
  maxAttempts: number
  runAt: number
  progress: number | null
  progressMessage: string | null
  lastError: string | null
  createdAt: number
  startedAt: number | null
  finishedAt: number | null
  updatedAt: number
}

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v))

export function toJobRun(row: any): JobRunRow {
  return {
    id: row.id,
    name: row.name,
    queue: row.queue,
    tenantId: Number(row.tenant_id),
    payload: typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload,
    status: row.status,
    attempts: Number(row.attempts),
    maxAttempts: Number(row.max_attempts),
    runAt: Number(row.run_at),
    progress: num(row.progress),
    progressMessage: row.progress_message ?? null,
    lastError: row.last_error ?? null,
    createdAt: Number(row.created_at),
    startedAt: num(row.started_at),
    finishedAt: num(row.finished_at),
    updatedAt: Number(row.updated_at),
  }
}

export function toClaimed(row: any): ClaimedJob & { backoffType: 'exponential' | 'fixed'; backoffDelay: number } {
  return {
    id: row.id,
    name: row.name,
    tenantId: Number(row.tenant_id),
    payload: typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload,
    attempt: Number(row.attempts),
    maxAttempts: Number(row.max_attempts),
    timeoutMs: num(row.timeout_ms),
    backoffType: row.backoff_type,
    backoffDelay: Number(row.backoff_delay),
  }
}

export function envelopeRow(job: JobEnvelope, extra: Record<string, unknown> = {}) {
  const now = Date.now()
  return {
    id: job.id,
    name: job.name,
    queue: job.queue,
    tenant_id: job.tenantId,
    payload: JSON.stringify(job.payload),
    status: 'queued',
    attempts: 0,
    max_attempts: job.maxAttempts,
    backoff_type: job.backoff.type,
    backoff_delay: job.backoff.delay,
    timeout_ms: job.timeoutMs,
    run_at: job.runAt,
    rank: 3,
    outbox: false,
    created_at: now,
    updated_at: now,
    ...extra,
  }
}

export function envelopeOf(row: any): JobEnvelope {
  return {
    id: row.id,
    name: row.name,
    queue: row.queue,
    tenantId: Number(row.tenant_id),
    payload: typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload,
    maxAttempts: Number(row.max_attempts),
    backoff: { type: row.backoff_type, delay: Number(row.backoff_delay) },
    timeoutMs: num(row.timeout_ms),
    runAt: Number(row.run_at),
  }
}

export function isPostgres(client: QueryClientContract = db.connection()) {
  return client.dialect.name === 'postgres'
}

/**
 * INSERT ... ON CONFLICT DO NOTHING; true when the row was inserted. Through knex, because Lucid
 * drops RETURNING on SQLite, which is how a skipped insert is told from a done one.
 */
export async function insertIgnore(
  client: QueryClientContract | TransactionClientContract,
  table: string,
  row: Record<string, unknown>,
  conflict: string[]
) {
  const inserted = await client.knexQuery().table(table).insert(row).onConflict(conflict).ignore().returning(conflict[0])
  return Array.isArray(inserted) && inserted.length > 0
}

/** Inserts the row unless a job with that id exists; true when inserted */
export function insertJobRow(
  job: JobEnvelope,
  client: QueryClientContract | TransactionClientContract = db.connection(),
  extra: Record<string, unknown> = {}
) {
  return insertIgnore(client, 'job_runs', envelopeRow(job, extra), ['id'])
}

export interface JobListFilter {
  status?: JobStatus
  name?: string
  page?: number
  perPage?: number
}

/** The admin page's listing: one tenant's jobs, newest first */
export async function listJobRuns(tenantId: number, filter: JobListFilter = {}) {
  const perPage = filter.perPage ?? 25
  const page = Math.max(1, filter.page ?? 1)
  const query = db.from('job_runs').where('tenant_id', tenantId)
  if (filter.status) query.where('status', filter.status)
  if (filter.name) query.where('name', filter.name)
  const rows = await query
    .clone()
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(perPage + 1)
    .offset((page - 1) * perPage)
  return {
    rows: rows.slice(0, perPage).map(toJobRun),
    page,
    hasMore: rows.length > perPage,
  }
}

export async function countsByStatus(tenantId?: number) {
  const query = db.from('job_runs').select('status').count('* as total').groupBy('status')
  if (tenantId) query.where('tenant_id', tenantId)
  const out: Record<string, number> = {}
  for (const row of await query) out[row.status] = Number(row.total)
  return out
}

export async function findJobRun(tenantId: number, id: string) {
  const row = await db.from('job_runs').where({ tenant_id: tenantId, id }).first()
  return row ? toJobRun(row) : null
}
