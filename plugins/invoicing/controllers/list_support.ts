/*
| Shared by the documents and payments pages: reading a list filter from the query string into
| field errors (never a 500), and building the links of a filtered list.
*/
import type { HttpContext } from '@adonisjs/core/http'
import { errors as vineErrors, type VineValidator } from '@vinejs/vine'
import { labelledMessages } from '#controllers/settings/form_support'
import { cleanQuery } from '#plugins/invoicing/services/document_listing'

export async function readFilter<T>(
  ctx: HttpContext,
  validator: VineValidator<any, any>,
  labels: Record<string, string>,
  keys?: string[]
): Promise<{ filter: T; errors: Record<string, string>; raw: Record<string, string> }> {
  const raw = cleanQuery(ctx.request.qs(), keys)
  try {
    const filter = (await validator.validate(raw, { messagesProvider: labelledMessages(ctx.i18n, labels) })) as T
    return { filter, errors: {}, raw }
  } catch (error) {
    if (!(error instanceof vineErrors.E_VALIDATION_ERROR)) throw error
    const errors: Record<string, string> = {}
    for (const message of error.messages as Array<{ field: string; message: string }>) errors[message.field] ??= message.message
    return { filter: {} as T, errors, raw }
  }
}

/** `base?query` with empty values left out */
export function withQuery(base: string, params: Record<string, string | undefined | null>) {
  const qs = new URLSearchParams()
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== null && value !== '') qs.set(key, value)
  const s = qs.toString()
  return s ? `${base}?${s}` : base
}

/** The signed-in user's locale for number and date formatting */
export function localeOf(ctx: HttpContext) {
  return ctx.i18n.locale || 'en'
}
