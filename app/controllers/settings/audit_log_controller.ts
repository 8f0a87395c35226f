import type { HttpContext } from '@adonisjs/core/http'
import { errors as vineErrors } from '@vinejs/vine'
import { auditFilterValidator } from '#validators/audit_filter'
import {
  auditFilterOptions,
  auditPage,
  dayStart,
  entryChanges,
  type AuditFilters,
} from '#services/audit_query_service'
import { labelledMessages, wantsFragment } from '#controllers/settings/form_support'

const BASE = '/app/settings/audit'

const LABELS: Record<string, string> = {
  action: 'settings.audit_action',
  actor: 'settings.audit_actor',
  from: 'settings.audit_from',
  to: 'settings.audit_to',
}

/** The audit log: filterable, paged by cursor; HTMX filtering swaps only the table */
export default class AuditLogController {
  async index(ctx: HttpContext) {
    const zone = ctx.tenant!.timezone
    /* The filter form sends its empty fields too (?actor=&from=): they mean "any" */
    const query = Object.fromEntries(Object.entries(ctx.request.qs()).filter(([, value]) => value !== ''))
    const errors: Record<string, string> = {}
    let filters: AuditFilters = {}
    try {
      filters = await auditFilterValidator.validate(query, { messagesProvider: labelledMessages(ctx.i18n, LABELS) })
    } catch (error) {
      if (!(error instanceof vineErrors.E_VALIDATION_ERROR)) throw error
      for (const message of error.messages as Array<{ field: string; message: string }>) {
        errors[message.field] ??= message.message
      }
    }
    for (const key of ['from', 'to'] as const) {
      if (filters[key] && !dayStart(filters[key]!, zone)) {
        errors[key] = ctx.i18n.t('settings.audit_invalid_date')
        delete filters[key]
      }
    }
    /* Bad filters show their errors and no rows, rather than silently widening the result */
    const page = Object.keys(errors).length ? { entries: [], nextCursor: null } : await auditPage(filters, zone)
    const shown = {
      action: typeof query.action === 'string' ? query.action : '',
      actor: typeof query.actor === 'string' ? query.actor : '',
      from: typeof query.from === 'string' ? query.from : '',
      to: typeof query.to === 'string' ? query.to : '',
    }
    const url = (before?: number) => {
      const params = new URLSearchParams(Object.entries(shown).filter(([, v]) => v))
      if (before) params.set('before', String(before))
      const qs = params.toString()
      return qs ? `${BASE}?${qs}` : BASE
    }
    const data = {
      entries: page.entries.map((entry) => ({ entry, changes: entryChanges(entry) })),
      filters: shown,
      nextUrl: page.nextCursor ? url(page.nextCursor) : null,
      firstUrl: filters.before ? url() : null,
      errors,
      zone,
    }
    if (wantsFragment(ctx)) return ctx.view.render('partials/settings/audit_table', data)
    return ctx.view.render('pages/settings/audit', { ...data, options: await auditFilterOptions() })
  }
}
