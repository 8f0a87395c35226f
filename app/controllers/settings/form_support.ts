/*
| Shared by the settings controllers: validation that flashes field errors and redirects to a
| known page (not the Referer), field names in error messages taken from the form's labels,
| and the HTMX fragment check.
*/
import type { HttpContext } from '@adonisjs/core/http'
import type { I18n } from '@adonisjs/i18n'
import { errors as vineErrors } from '@vinejs/vine'
import type { FieldContext, MessagesProviderContact } from '@vinejs/vine/types'
import type { VineValidator } from '@vinejs/vine'

/** Messages from validator.json, naming the field by the label the form shows */
export function labelledMessages(i18n: I18n, labels: Record<string, string>): MessagesProviderContact {
  const shared = i18n.createMessagesProvider()
  return {
    getMessage(message: string, rule: string, field: FieldContext, meta?: Record<string, any>) {
      const key = labels[field.name as string]
      const label = key ? (i18n.hasMessage(key) ? i18n.t(key) : key) : String(field.name)
      /* Rules of the settings forms that validator.json does not know */
      if (i18n.hasMessage(`settings.validation_${rule}`)) return i18n.t(`settings.validation_${rule}`, { field: label, ...meta })
      if (!key) return shared.getMessage(message, rule, field, meta)
      return shared.getMessage(message, rule, Object.create(field, { name: { value: label } }), meta)
    },
  }
}

/**
 * Validates the request body. On bad input the errors and the input are flashed, the response
 * redirects to `back`, and the result is undefined: the caller returns.
 */
export async function validateForm<T>(
  ctx: HttpContext,
  validator: VineValidator<any, any>,
  options: { back: string; labels?: Record<string, string>; data?: unknown }
): Promise<T | undefined> {
  try {
    return (await validator.validate(options.data ?? ctx.request.all(), {
      messagesProvider: labelledMessages(ctx.i18n, options.labels ?? {}),
    })) as T
  } catch (error) {
    if (!(error instanceof vineErrors.E_VALIDATION_ERROR)) throw error
    ctx.session.flashValidationErrors(error)
    ctx.response.redirect(options.back)
    return undefined
  }
}

/** Errors found after validation (a service refused the input): shown like validation errors */
export function refuseForm(ctx: HttpContext, fieldErrors: Record<string, string>, back: string) {
  ctx.session.flashExcept(['_csrf', '_method'])
  ctx.session.flashErrors(fieldErrors)
  ctx.response.redirect(back)
}

/** An HTMX request that swaps a fragment (not a boosted page load) */
export function wantsFragment(ctx: HttpContext) {
  return ctx.isHtmx && ctx.request.header('hx-request-type') !== 'full' && ctx.request.header('hx-boosted') !== 'true'
}

/**
 * The values a form shows: what is stored, or after a refused submit the input the user sent
 * (an unticked checkbox sends nothing, so a boolean missing from that input is false).
 */
export function formValues<T extends Record<string, unknown>>(ctx: HttpContext, stored: T): T {
  const flash = ctx.session.flashMessages
  if (!flash.has('inputErrorsBag') && !flash.has('errorsBag')) return stored
  const values: Record<string, unknown> = { ...stored }
  for (const [key, value] of Object.entries(stored)) {
    if (typeof value === 'boolean') {
      const sent = flash.get(key)
      values[key] = sent !== undefined && sent !== null && sent !== 'false' && sent !== false
    } else {
      values[key] = flash.get(key) ?? null
    }
  }
  return values as T
}
