/*
| Reading the tenant's audit log: filters by action, actor and a date range in the tenant's time
| zone, newest first, with an id cursor so pages stay stable while new entries arrive.
*/
import { DateTime } from 'luxon'
import AuditLog from '#models/audit_log'
import User from '#models/user'

export const AUDIT_PAGE_SIZE = 25

export interface AuditFilters {
  action?: string
  actor?: number
  from?: string
  to?: string
  subject?: string
  ip?: string
  before?: number
}

/** A calendar day in the tenant's zone, or null when the text is no real date (2026-02-31) */
export function dayStart(value: string, zone: string): DateTime | null {
  const day = DateTime.fromISO(value, { zone }).startOf('day')
  return day.isValid ? day : null
}

/** The tenant's entries matching the filters, newest first */
function filteredQuery(filters: AuditFilters, zone: string) {
  const query = AuditLog.query().orderBy('id', 'desc')
  if (filters.action) query.where('action', filters.action)
  /* A user acts through the web session or through their API tokens */
  if (filters.actor) query.whereIn('actor_type', ['user', 'token']).where('actor_id', filters.actor)
  const from = filters.from ? dayStart(filters.from, zone) : null
  const to = filters.to ? dayStart(filters.to, zone) : null
  /* Written the way Lucid writes timestamps: in the server's zone, in the dialect's format */
  const stamp = (moment: DateTime) => moment.toLocal().toFormat(query.client.dialect.dateTimeFormat)
  if (from) query.where('created_at', '>=', stamp(from))
  if (to) query.where('created_at', '<', stamp(to.plus({ days: 1 })))
  if (filters.subject) {
    const [type, ...id] = filters.subject.split(':')
    query.where('subject_type', type)
    if (id.length) query.where('subject_id', id.join(':'))
  }
  if (filters.ip) query.where('ip', filters.ip)
  if (filters.before) query.where('id', '<', filters.before)
  return query
}

export async function auditPage(filters: AuditFilters, zone: string) {
  const rows = await filteredQuery(filters, zone).limit(AUDIT_PAGE_SIZE + 1)
  const entries = rows.slice(0, AUDIT_PAGE_SIZE)
  return {
    entries,
    nextCursor: rows.length > AUDIT_PAGE_SIZE ? entries[entries.length - 1].id : null,
  }
}

export async function auditFilterOptions() {
  const actions = await AuditLog.query().distinct('action').orderBy('action', 'asc')
  const actors = await User.query().orderBy('email', 'asc')
  return {
    actions: actions.map((a) => a.action),
    actors: actors.map((u) => ({ id: u.id, label: u.fullName ? `${u.fullName} <${u.email}>` : u.email })),
  }
}

/** Keys of an entry's before/after, with whether the value changed, for the diff column */
export function entryChanges(entry: AuditLog) {
  const before = entry.before ?? {}
  const after = entry.after ?? {}
  const show = (v: unknown) => (v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v))
  return [...new Set([...Object.keys(before), ...Object.keys(after)])].map((key) => ({
    key,
    before: show(before[key]),
    after: show(after[key]),
    changed: JSON.stringify(before[key]) !== JSON.stringify(after[key]),
  }))
}

/** Every matching entry, newest first, a page at a time (for the CSV export) */
export async function* auditEntries(filters: AuditFilters, zone: string, pageSize = 500) {
  let before = filters.before
  for (;;) {
    const rows = await filteredQuery({ ...filters, before }, zone).limit(pageSize)
    yield* rows
    if (rows.length < pageSize) return
    before = rows[rows.length - 1].id
  }
}

/*
| Spreadsheet formula injection: a cell starting with = + - @ (or a tab or carriage return, which
| some spreadsheets skip before reading the formula) is prefixed with a quote, so it is shown as text.
*/
export function neutraliseCell(value: unknown): string {
  if (value === null || value === undefined) return ''
  const text = typeof value === 'string' ? value : JSON.stringify(value)
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text
}

export const CSV_COLUMNS = [
  'id',
  'time_utc',
  'time_local',
  'actor_type',
  'actor_id',
  'actor',
  'action',
  'subject_type',
  'subject_id',
  'before',
  'after',
  'ip',
  'user_agent',
  'chain_seq',
  'hash',
] as const

export function csvRow(entry: AuditLog, zone: string) {
  return [
    entry.id,
    entry.createdAt.toUTC().toISO(),
    entry.createdAt.setZone(zone).toFormat('yyyy-LL-dd HH:mm:ss'),
    entry.actorType,
    entry.actorId,
    entry.actorLabel,
    entry.action,
    entry.subjectType,
    entry.subjectId,
    entry.before,
    entry.after,
    entry.ip,
    entry.userAgent,
    entry.chainSeq,
    entry.hash,
  ].map(neutraliseCell)
}
