/* Helpers shared by the parties area's page controllers: list parameters from the query string, field refusals */
import type { HttpContext } from '@adonisjs/core/http'
import { decodeCursor } from '#api/pagination'
import { refuseForm } from '#controllers/settings/form_support'
import { FieldRefusedError } from '../services/catalogue.js'

export const PAGE_SIZE = 25

/**
 * Filters of a list page from the query string: only the allowed values pass, an empty field
 * means "any", and a cursor from another sort is dropped (it would skip rows).
 */
export function listParams<T extends Record<string, readonly string[] | 'text'>>(
  ctx: HttpContext,
  allowed: T,
  sort: string
): { [K in keyof T]?: string } & { limit: number; sort: string; cursor?: string } {
  const qs = ctx.request.qs()
  const out: Record<string, unknown> = { limit: PAGE_SIZE, sort }
  for (const [key, rule] of Object.entries(allowed)) {
    const value = typeof qs[key] === 'string' ? qs[key].trim() : ''
    if (!value) continue
    if (rule === 'text') out[key] = value.slice(0, 100)
    else if ((rule as readonly string[]).includes(value)) out[key] = value
  }
  const cursor = typeof qs.cursor === 'string' ? qs.cursor : ''
  const state = cursor ? decodeCursor(cursor) : null
  if (state && state.s === sort) out.cursor = cursor
  return out as any
}

/** The URL of the next page: the same filters plus the cursor */
export function nextPageUrl(base: string, params: Record<string, unknown>, cursor: string | null) {
  if (!cursor) return null
  const query = new URLSearchParams()
  for (const [key, value] of Object.entries(params)) {
    if (['limit', 'sort', 'cursor'].includes(key) || value === undefined || value === '') continue
    query.set(key, String(value))
  }
  query.set('cursor', cursor)
  return `${base}?${query.toString()}`
}

/** A service refusal tied to a field becomes a field error on the form; others propagate */
export function refuseField(ctx: HttpContext, error: unknown, back: string) {
  if (!(error instanceof FieldRefusedError)) throw error
  refuseForm(ctx, { [error.field]: ctx.i18n.t(error.messageKey!) }, back)
}
