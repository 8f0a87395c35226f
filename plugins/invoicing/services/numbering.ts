/*
| Numbering series: per-tenant patterns ({YYYY} {YY} {MM} {counter} {counter:N} and literal text),
| reset never/yearly/monthly, a starting number. A number is taken inside the finalising
| transaction by incrementing the series' counter row for the period: PostgreSQL row-locks it
| (UPDATE … RETURNING) until commit, SQLite holds the database write lock, so a concurrent
| finaliser waits and a rolled-back one gives its number back: gap-free and unique.
*/
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { tenantContext } from '#tenancy/tenant_context'
import { audit, dbStamp, diff } from '#services/audit_service'
import { NotFoundError } from '#exceptions/domain_errors'
import NumberingSeries, { type SeriesReset } from '../models/numbering_series.js'
import type { DocumentType } from '../models/document.js'
import { SeriesPatternError } from '../exceptions/document_errors.js'

export const RESETS: SeriesReset[] = ['never', 'yearly', 'monthly']
const COUNTERS_TABLE = 'invoicing_numbering_counters'
const TOKEN = /\{(YYYY|YY|MM|counter(?::(\d{1,2}))?)\}/g

export const DEFAULT_PATTERNS: Record<DocumentType, string> = {
  invoice: 'INV-{YYYY}-{counter:5}',
  quote: 'QUO-{YYYY}-{counter:4}',
  credit_note: 'CN-{YYYY}-{counter:4}',
}

/** Field errors of a pattern for a reset rule (i18n keys), empty when it is usable */
export function patternErrors(pattern: string, reset: SeriesReset): string[] {
  const errors: string[] = []
  const tokens = [...pattern.matchAll(TOKEN)].map((m) => m[1])
  const counters = tokens.filter((t) => t.startsWith('counter'))
  if (counters.length !== 1) errors.push('invoicing_core.numbering.errors.one_counter')
  for (const m of pattern.matchAll(TOKEN)) {
    if (m[2] !== undefined && (Number(m[2]) < 1 || Number(m[2]) > 12)) errors.push('invoicing_core.numbering.errors.width')
  }
  if (/[{}]/.test(pattern.replace(TOKEN, ''))) errors.push('invoicing_core.numbering.errors.unknown_token')
  /* a reset without the period in the number would hand out the same number twice */
  const hasYear = tokens.includes('YYYY') || tokens.includes('YY')
  if (reset !== 'never' && !hasYear) errors.push('invoicing_core.numbering.errors.needs_year')
  if (reset === 'monthly' && !tokens.includes('MM')) errors.push('invoicing_core.numbering.errors.needs_month')
  return errors
}

export function assertPattern(pattern: string, reset: SeriesReset) {
  const errors = patternErrors(pattern, reset)
  if (errors.length) throw new SeriesPatternError(`Invalid numbering pattern "${pattern}"`, errors[0])
}

/** The counter's period for an issue date: '' (never), 'YYYY' (yearly), 'YYYY-MM' (monthly) */
export function periodOf(reset: SeriesReset, issueDate: string) {
  if (reset === 'yearly') return issueDate.slice(0, 4)
  if (reset === 'monthly') return issueDate.slice(0, 7)
  return ''
}

export function formatNumber(pattern: string, issueDate: string, counter: number) {
  return pattern.replace(TOKEN, (_, token: string, width?: string) => {
    if (token === 'YYYY') return issueDate.slice(0, 4)
    if (token === 'YY') return issueDate.slice(2, 4)
    if (token === 'MM') return issueDate.slice(5, 7)
    return width ? String(counter).padStart(Number(width), '0') : String(counter)
  })
}

/** Today in the tenant's time zone as a calendar date */
export function today(timezone?: string | null) {
  const zone = timezone ?? tenantContext.tenant()?.timezone ?? 'UTC'
  const now = DateTime.now().setZone(zone)
  return (now.isValid ? now : DateTime.utc()).toISODate()!
}

function nextValue(last: number, start: number) {
  return Math.max(last + 1, start)
}

/** The tenant's default series for a document type, created on first use */
export async function defaultSeries(type: DocumentType, trx?: TransactionClientContract, tenantId = tenantContext.requireTenant('numbering series').id) {
  const found = await NumberingSeries.forTenant(tenantId, { client: trx })
    .where('document_type', type)
    .orderBy('is_default', 'desc')
    .orderBy('id', 'asc')
    .first()
  if (found) return found
  const series = new NumberingSeries()
  if (trx) series.useTransaction(trx)
  series.fill({
    tenantId,
    documentType: type,
    name: 'Default',
    pattern: DEFAULT_PATTERNS[type],
    reset: 'yearly',
    startNumber: 1,
    isDefault: true,
  })
  try {
    await series.save()
    return series
  } catch (error) {
    /* a concurrent first use created it: take that one */
    const again = await NumberingSeries.forTenant(tenantId, { client: trx }).where('document_type', type).first()
    if (again) return again
    throw error
  }
}

export async function listSeries() {
  return NumberingSeries.query().orderBy('document_type').orderBy('name')
}

export async function findSeries(id: number | string) {
  const series = await NumberingSeries.query().where('id', Number(id) || 0).first()
  if (!series) throw new NotFoundError()
  return series
}

/** The number the next finalisation in this series would get (for an issue date, default today) */
export async function previewNext(series: NumberingSeries, issueDate = today()) {
  const period = periodOf(series.reset, issueDate)
  const row = await db
    .from(COUNTERS_TABLE)
    .where({ tenant_id: series.tenantId, series_id: series.id, period })
    .first()
  return formatNumber(series.pattern, issueDate, nextValue(Number(row?.last_value ?? 0), series.startNumber))
}

export interface TakenNumber {
  number: string
  period: string
  counter: number
}

/**
 * Takes the next number of the series inside the caller's transaction. The counter row stays
 * locked until that transaction ends; a rollback returns the number.
 */
export async function takeNumber(trx: TransactionClientContract, series: NumberingSeries, issueDate: string): Promise<TakenNumber> {
  const period = periodOf(series.reset, issueDate)
  const stamp = dbStamp(trx, DateTime.now())
  await trx
    .insertQuery()
    .table(COUNTERS_TABLE)
    .insert({ tenant_id: series.tenantId, series_id: series.id, period, last_value: 0, updated_at: stamp })
    .knexQuery.onConflict(['tenant_id', 'series_id', 'period'])
    .ignore()
  const start = series.startNumber
  const result = await trx.rawQuery(
    `UPDATE ${COUNTERS_TABLE}
        SET last_value = CASE WHEN last_value + 1 < ? THEN ? ELSE last_value + 1 END, updated_at = ?
      WHERE tenant_id = ? AND series_id = ? AND period = ?
      RETURNING last_value`,
    [start, start, stamp, series.tenantId, series.id, period]
  )
  const rows = Array.isArray(result) ? result : result.rows
  const counter = Number(rows[0].last_value)
  return { number: formatNumber(series.pattern, issueDate, counter), period, counter }
}

export interface SeriesInput {
  documentType: DocumentType
  name: string
  pattern: string
  reset: SeriesReset
  startNumber: number
  isDefault?: boolean
}

async function clearOtherDefaults(series: NumberingSeries, trx: TransactionClientContract) {
  if (!series.isDefault) return
  await NumberingSeries.forTenant(series.tenantId, { client: trx })
    .where('document_type', series.documentType)
    .whereNot('id', series.id)
    .update({ is_default: false })
}

export async function createSeries(input: SeriesInput) {
  assertPattern(input.pattern, input.reset)
  const series = await db.transaction(async (trx) => {
    const row = new NumberingSeries()
    row.useTransaction(trx)
    row.fill({ ...input, isDefault: input.isDefault ?? false })
    await row.save()
    await clearOtherDefaults(row, trx)
    return row
  })
  await audit({ action: 'invoicing.series.created', subjectType: 'invoicing_numbering_series', subjectId: series.id, after: { ...input } })
  return series
}

export async function updateSeries(series: NumberingSeries, input: Omit<SeriesInput, 'documentType'>) {
  assertPattern(input.pattern, input.reset)
  const before = { name: series.name, pattern: series.pattern, reset: series.reset, startNumber: series.startNumber, isDefault: series.isDefault }
  await db.transaction(async (trx) => {
    series.useTransaction(trx)
    series.merge({ ...input, isDefault: input.isDefault ?? series.isDefault })
    await series.save()
    await clearOtherDefaults(series, trx)
  })
  const after = { name: series.name, pattern: series.pattern, reset: series.reset, startNumber: series.startNumber, isDefault: series.isDefault }
  await audit({ action: 'invoicing.series.updated', subjectType: 'invoicing_numbering_series', subjectId: series.id, ...diff(before, after) })
  return series
}
