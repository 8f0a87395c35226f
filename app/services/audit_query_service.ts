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
  before?: number
}

/** A calendar day in the tenant's zone, or null when the text is no real date (2026-02-31) */
export function dayStart(value: string, zone: string): DateTime | null {
  const day = DateTime.fromISO(value, { zone }).startOf('day')
  return day.isValid ? day : null
}

export async function auditPage(filters: AuditFilters, zone: string) {
  const query = AuditLog.query().orderBy('id', 'desc').limit(AUDIT_PAGE_SIZE + 1)
  if (filters.action) query.where('action', filters.action)
  /* A user acts through the web session or through their API tokens */
  if (filters.actor) query.whereIn('actor_type', ['user', 'token']).where('actor_id', filters.actor)
  const from = filters.from ? dayStart(filters.from, zone) : null
  const to = filters.to ? dayStart(filters.to, zone) : null
  /* Written the way Lucid writes timestamps: in the server's zone, in the dialect's format */
  const stamp = (moment: DateTime) => moment.toLocal().toFormat(query.client.dialect.dateTimeFormat)
  if (from) query.where('created_at', '>=', stamp(from))
  if (to) query.where('created_at', '<', stamp(to.plus({ days: 1 })))
  if (filters.before) query.where('id', '<', filters.before)
  const rows = await query
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
