/*
| The staff lists of quotes, invoices and credit notes: filters (status including the derived
| "overdue", client, issue date range, amount range, currency), search, sorting and keyset
| pagination. The bulk jobs resolve "everything matching the filter" through the same query.
|
| Sort columns may be NULL (drafts have no number or dates), so each sort is an expression with
| COALESCE, and the cursor carries that expression's value plus the id as a tie-breaker.
*/
import vine from '@vinejs/vine'
import type { Infer } from '@vinejs/vine/types'
import { DateTime } from 'luxon'
import Document, { DOCUMENT_STATUSES, OPEN_STATUSES, type DocumentType } from '#plugins/invoicing/models/document'
import { currencies, exponent, parseAmount, MoneyError } from '#plugins/invoicing/services/money'
import db from '@adonisjs/lucid/services/db'
import { likeContains } from '#api/pagination'

export const PAGE_SIZE = 25

export const SORTS = {
  created: { expr: 'invoicing_documents.id', numeric: true },
  number: { expr: "coalesce(invoicing_documents.number, '')", numeric: false },
  client: { expr: 'invoicing_documents.client_name', numeric: false },
  issue_date: { expr: "coalesce(invoicing_documents.issue_date, '')", numeric: false },
  due_date: { expr: "coalesce(invoicing_documents.due_date, '')", numeric: false },
  total: { expr: 'invoicing_documents.total', numeric: true },
} as const
export type SortKey = keyof typeof SORTS
const SORT_VALUES = Object.keys(SORTS).flatMap((k) => [k, `-${k}`])

export const FILTER_STATUSES = [...DOCUMENT_STATUSES, 'overdue'] as const

const date = () =>
  vine
    .string()
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional()

/** Every filter field is optional and may come back empty from the form */
export const listFilterValidator = vine.create(
  vine.object({
    q: vine.string().trim().maxLength(100).optional(),
    status: vine.enum([...FILTER_STATUSES]).optional(),
    client: vine.number().withoutDecimals().positive().optional(),
    currency: vine
      .string()
      .trim()
      .toUpperCase()
      .in(currencies())
      .optional(),
    from: date(),
    to: date(),
    min: vine.string().trim().maxLength(30).optional(),
    max: vine.string().trim().maxLength(30).optional(),
    sort: vine.enum(SORT_VALUES).optional(),
    cursor: vine.string().trim().maxLength(500).optional(),
  })
)

export type ListFilter = Infer<typeof listFilterValidator>

/** The query-string keys of a filter, without the cursor (form values, bulk scope, links) */
export const FILTER_KEYS = ['q', 'status', 'client', 'currency', 'from', 'to', 'min', 'max', 'sort'] as const

/** Drops empty strings so an untouched form field means "any" */
export function cleanQuery(input: Record<string, unknown>, keys: readonly string[] = FILTER_KEYS) {
  const out: Record<string, string> = {}
  for (const key of [...keys, 'cursor']) {
    const value = input[key]
    if (typeof value === 'string' && value.trim() !== '') out[key] = value.trim()
    else if (typeof value === 'number') out[key] = String(value)
  }
  return out
}

interface Cursor {
  s: string
  v: string | number
  i: number
}

export function encodeCursor(c: Cursor) {
  return Buffer.from(JSON.stringify(c)).toString('base64url')
}

export function decodeCursor(value: string | undefined, sort: string): Cursor | null {
  if (!value || !/^[A-Za-z0-9_-]{1,500}$/.test(value)) return null
  try {
    const c = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'))
    if (!c || c.s !== sort || !['string', 'number'].includes(typeof c.v) || !Number.isSafeInteger(c.i)) return null
    return c
  } catch {
    return null
  }
}

/** Today's calendar date in the tenant's time zone: what "overdue" is measured against */
export function todayIn(zone: string) {
  return DateTime.now().setZone(zone).toISODate()!
}

export class AmountFilterError extends Error {
  constructor(public field: 'min' | 'max') {
    super(`Bad amount in ${field}`)
  }
}

/*
| An amount filter is typed in major units ("100" means 100 EUR and 100 JPY), while totals are
| minor units whose exponent depends on the currency: one condition per exponent group.
*/
function amountCondition(query: any, op: '>=' | '<=', text: string, field: 'min' | 'max', currency?: string) {
  if (currency) {
    try {
      query.where('invoicing_documents.total', op, parseAmount(text, currency))
    } catch (error) {
      if (error instanceof MoneyError) throw new AmountFilterError(field)
      throw error
    }
    return
  }
  const groups = new Map<number, string[]>()
  for (const code of currencies()) {
    const exp = exponent(code)
    groups.set(exp, [...(groups.get(exp) ?? []), code])
  }
  let precise: number
  try {
    /* parsed once at the finest exponent (4), then scaled down per group, rounding inward */
    precise = parseAmount(text, 'CLF')
  } catch (error) {
    if (error instanceof MoneyError) throw new AmountFilterError(field)
    throw error
  }
  const parsed = [...groups.entries()].map(([exp, codes]) => {
    const scaled = precise / 10 ** (4 - exp)
    return [codes, op === '>=' ? Math.ceil(scaled) : Math.floor(scaled)] as [string[], number]
  })
  query.where((outer: any) => {
    for (const [codes, value] of parsed) {
      outer.orWhere((q: any) => q.whereIn('invoicing_documents.currency', codes).where('invoicing_documents.total', op, value))
    }
  })
}

/** The filtered query (no order, no limit) of one document type for the tenant in context */
export function filteredQuery(type: DocumentType, filter: ListFilter, zone: string) {
  const query = Document.query().where('invoicing_documents.type', type)
  if (filter.status === 'overdue') {
    query
      .whereIn('invoicing_documents.status', OPEN_STATUSES)
      .where('invoicing_documents.balance_due', '>', 0)
      .whereNotNull('invoicing_documents.due_date')
      .where('invoicing_documents.due_date', '<', todayIn(zone))
  } else if (filter.status) {
    query.where('invoicing_documents.status', filter.status)
  }
  if (filter.client) query.where('invoicing_documents.client_id', filter.client)
  if (filter.currency) query.where('invoicing_documents.currency', filter.currency)
  if (filter.from) query.where('invoicing_documents.issue_date', '>=', filter.from)
  if (filter.to) query.where('invoicing_documents.issue_date', '<=', filter.to)
  if (filter.min) amountCondition(query, '>=', filter.min, 'min', filter.currency)
  if (filter.max) amountCondition(query, '<=', filter.max, 'max', filter.currency)
  if (filter.q) {
    const term = likeContains(filter.q)
    query.where((q) => {
      for (const column of ['number', 'client_name', 'buyer_reference', 'order_reference', 'notes']) {
        q.orWhereRaw(`lower(coalesce(invoicing_documents.${column}, '')) like ? escape '\\'`, [term])
      }
    })
  }
  return query
}

export interface ListPage {
  rows: Document[]
  nextCursor: string | null
  sort: string
}

/** One page of the list, newest first unless another sort is asked for */
export async function listDocuments(type: DocumentType, filter: ListFilter, zone: string, limit = PAGE_SIZE): Promise<ListPage> {
  const sort = filter.sort ?? '-created'
  const descending = sort.startsWith('-')
  const key = (descending ? sort.slice(1) : sort) as SortKey
  const { expr } = SORTS[key]
  const direction = descending ? 'desc' : 'asc'
  const op = descending ? '<' : '>'
  const query = filteredQuery(type, filter, zone).select('invoicing_documents.*').select(db.raw(`${expr} as sort_value`))
  const cursor = decodeCursor(filter.cursor, sort)
  if (cursor) {
    query.whereRaw(`(${expr} ${op} ? or (${expr} = ? and invoicing_documents.id ${op} ?))`, [cursor.v, cursor.v, cursor.i])
  }
  query.orderByRaw(`${expr} ${direction}`).orderBy('invoicing_documents.id', direction).limit(limit + 1)
  const rows = await query
  const more = rows.length > limit
  const page = more ? rows.slice(0, limit) : rows
  const last = page[page.length - 1]
  let nextCursor: string | null = null
  if (more && last) {
    const raw = last.$extras.sort_value
    nextCursor = encodeCursor({ s: sort, v: SORTS[key].numeric ? Number(raw) : String(raw), i: last.id })
  }
  return { rows: page, nextCursor, sort }
}
