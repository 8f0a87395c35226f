/*
| Payment history filters shared by the staff page, its CSV and GET /api/v1/gateway-payments.
| The API takes amounts in minor units; the page takes decimals ("12,50") and converts them here.
| Client filtering goes through invoicing's public.ts (gateway payments only know their invoice).
*/
import vine from '@vinejs/vine'
import { errors as vineErrors } from '@vinejs/vine'
import { DateTime } from 'luxon'
import { clientDocumentIds, clientSummary } from '#plugins/invoicing/public'
import { NotFoundError } from '#exceptions/domain_errors'
import GatewayPayment from '../models/gateway_payment.js'

export const STATUSES = ['processing', 'succeeded', 'failed', 'refunded', 'partially_refunded'] as const
const DATE = /^\d{4}-\d{2}-\d{2}$/

const schema = {
  status: vine.enum(STATUSES).optional(),
  client: vine.number().withoutDecimals().min(1).optional(),
  from: vine.string().trim().regex(DATE).optional(),
  to: vine.string().trim().regex(DATE).optional(),
  currency: vine.string().trim().toUpperCase().regex(/^[A-Z]{3}$/).optional(),
  dispute: vine.enum(['yes', 'no'] as const).optional(),
  before: vine.number().withoutDecimals().min(1).optional(),
}
export const apiFilterValidator = vine.compile(
  vine.object({ ...schema, amount_min: vine.number().withoutDecimals().min(0).optional(), amount_max: vine.number().withoutDecimals().min(0).optional(), limit: vine.number().withoutDecimals().min(1).max(200).optional() })
)
const pageFilterValidator = vine.compile(vine.object({ ...schema, amount_min: vine.string().trim().optional(), amount_max: vine.string().trim().optional() }))

export interface HistoryFilter {
  status?: (typeof STATUSES)[number]
  client?: number
  from?: string
  to?: string
  currency?: string
  dispute?: 'yes' | 'no'
  amount_min?: number
  amount_max?: number
  before?: number
}

/** "12,50" / "12.50" / "12" → 1250; null when it is not a decimal with at most two places */
export function parseDecimalAmount(raw: string): number | null {
  const m = /^(\d{1,12})(?:[.,](\d{1,2}))?$/.exec(raw.trim())
  if (!m) return null
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'))
}

function validDate(value: string | undefined) {
  return value === undefined || DateTime.fromISO(value).isValid
}

/** Field errors (field → message key) the schema cannot express: calendar dates, ranges */
function crossFieldErrors(f: HistoryFilter) {
  const errors: Record<string, string> = {}
  if (!validDate(f.from)) errors.from = 'payments_history.errors.date'
  if (!validDate(f.to)) errors.to = 'payments_history.errors.date'
  if (!errors.from && !errors.to && f.from && f.to && f.from > f.to) errors.to = 'payments_history.errors.date_range'
  if (f.amount_min !== undefined && f.amount_max !== undefined && f.amount_min > f.amount_max) errors.amount_max = 'payments_history.errors.amount_range'
  return errors
}

/**
 * The raw query string as flat strings: the app's qs parser splits on commas, which would turn a
 * decimal "12,50" into an array. Repeated keys keep their last value.
 */
export function rawQuery(query: string) {
  return Object.fromEntries(new URLSearchParams(query ?? '')) as Record<string, string>
}

/** Drops empty query values so an untouched form field means "no filter" */
function present(qs: Record<string, unknown>) {
  return Object.fromEntries(Object.entries(qs).filter(([, v]) => typeof v === 'string' && v.trim() !== ''))
}

/** API: VineJS errors become the usual 422 problem; range errors are thrown in the same shape */
export async function apiFilter(qs: Record<string, unknown>) {
  const f = await apiFilterValidator.validate(present(qs))
  const errors = crossFieldErrors(f)
  const fields = Object.keys(errors)
  if (fields.length) throw new vineErrors.E_VALIDATION_ERROR(fields.map((field) => ({ field, message: errors[field], rule: 'range' })))
  return f
}

/** Page and CSV: returns the filter plus field errors (message keys) instead of throwing */
export async function pageFilter(qs: Record<string, unknown>): Promise<{ filter: HistoryFilter; errors: Record<string, string>; input: Record<string, string> }> {
  const input = present(qs) as Record<string, string>
  const errors: Record<string, string> = {}
  let parsed: Record<string, any> = {}
  try {
    parsed = await pageFilterValidator.validate(input)
  } catch (error) {
    if (!(error instanceof vineErrors.E_VALIDATION_ERROR)) throw error
    for (const m of error.messages as { field: string }[]) errors[m.field] ??= `payments_history.errors.${m.field === 'from' || m.field === 'to' ? 'date' : 'invalid'}`
    for (const [key, value] of Object.entries(input)) if (!errors[key] && key in schema) parsed[key] = value
  }
  const filter: HistoryFilter = {}
  for (const key of ['status', 'from', 'to', 'currency', 'dispute'] as const) if (!errors[key] && parsed[key] !== undefined) (filter as any)[key] = parsed[key]
  for (const key of ['client', 'before'] as const) if (!errors[key] && parsed[key] !== undefined) filter[key] = Number(parsed[key])
  for (const key of ['amount_min', 'amount_max'] as const) {
    if (input[key] === undefined) continue
    const minor = parseDecimalAmount(input[key])
    if (minor === null) errors[key] = 'payments_history.errors.amount'
    else filter[key] = minor
  }
  Object.assign(errors, crossFieldErrors(filter), errors)
  for (const key of Object.keys(errors)) delete (filter as any)[key]
  return { filter, errors, input }
}

/** The client named by the filter, or 404 when it is not the tenant's */
export async function filterClient(tenantId: number, filter: HistoryFilter) {
  if (!filter.client) return null
  const client = await clientSummary(tenantId, filter.client)
  if (!client) throw new NotFoundError()
  return client
}

/** The filtered query without paging (the caller orders and limits); wrapped so `await` does not run it */
export async function historyQuery(tenantId: number, f: HistoryFilter) {
  const query = GatewayPayment.query()
  if (f.status) query.where('status', f.status)
  if (f.currency) query.where('currency', f.currency)
  if (f.dispute) f.dispute === 'yes' ? query.whereNot('dispute_status', 'none') : query.where('dispute_status', 'none')
  if (f.amount_min !== undefined) query.where('amount', '>=', f.amount_min)
  if (f.amount_max !== undefined) query.where('amount', '<=', f.amount_max)
  /* timestamps are stored as UTC 'yyyy-MM-dd HH:mm:ss' on both databases: the day bounds compare as text */
  if (f.from) query.where('created_at', '>=', `${f.from} 00:00:00`)
  if (f.to) query.where('created_at', '<', `${DateTime.fromISO(f.to).plus({ days: 1 }).toISODate()} 00:00:00`)
  if (f.client) query.whereIn('invoice_id', await clientDocumentIds(tenantId, f.client))
  return { query }
}

/** One page, newest first; `before` (an id) continues below the last row shown */
export async function historyPage(tenantId: number, f: HistoryFilter, limit: number) {
  const { query } = await historyQuery(tenantId, f)
  query.orderBy('id', 'desc').limit(limit + 1)
  if (f.before) query.where('id', '<', f.before)
  const rows = await query
  const page = rows.slice(0, limit)
  return { rows: page, nextBefore: rows.length > limit ? page[page.length - 1].id : null }
}

export interface CurrencyTotals {
  currency: string
  count: number
  gross: number
  fees: number
  net: number
  refunded: number
}

/** Sums per currency over the whole filtered set (all pages) */
export async function historyTotals(tenantId: number, f: HistoryFilter): Promise<CurrencyTotals[]> {
  const { query } = await historyQuery(tenantId, f)
  const rows: any[] = await query
    .select('currency')
    .count('* as count')
    .sum('amount as gross')
    .sum('fee as fees')
    .sum('amount_refunded as refunded')
    .groupBy('currency')
    .orderBy('currency')
    .pojo()
  return rows.map((r) => {
    const gross = Number(r.gross ?? 0)
    const fees = Number(r.fees ?? 0)
    return { currency: r.currency, count: Number(r.count), gross, fees, net: gross - fees, refunded: Number(r.refunded ?? 0) }
  })
}

/** Query string of a filter (without `before`), for links that keep it: CSV, next page */
export function filterQueryString(input: Record<string, string>, extra: Record<string, string | number> = {}) {
  const params = new URLSearchParams()
  for (const [k, v] of Object.entries(input)) if (k !== 'before' && k in { ...schema, amount_min: 1, amount_max: 1 }) params.set(k, v)
  for (const [k, v] of Object.entries(extra)) params.set(k, String(v))
  const s = params.toString()
  return s ? `?${s}` : ''
}
