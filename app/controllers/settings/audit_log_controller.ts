import type { HttpContext } from '@adonisjs/core/http'
import vine, { errors as vineErrors } from '@vinejs/vine'
import { stringify } from 'csv-stringify'
import { DateTime } from 'luxon'
import { auditFilterValidator } from '#validators/audit_filter'
import {
  CSV_COLUMNS,
  auditEntries,
  auditFilterOptions,
  auditPage,
  csvRow,
  dayStart,
  entryChanges,
  type AuditFilters,
} from '#services/audit_query_service'
import { adminPolicyOf, updateAdminPolicy } from '#services/admin_policy_service'
import { labelledMessages, validateForm, wantsFragment } from '#controllers/settings/form_support'

const BASE = '/app/settings/audit'

const LABELS: Record<string, string> = {
  action: 'settings.audit_action',
  actor: 'settings.audit_actor',
  from: 'settings.audit_from',
  to: 'settings.audit_to',
  subject: 'security_admin.audit_subject',
  ip: 'security_admin.audit_ip',
}

const FILTER_KEYS = ['action', 'actor', 'subject', 'ip', 'from', 'to'] as const

const retentionValidator = vine.create(
  vine.object({
    auditRetentionDays: vine.number().withoutDecimals().min(7).max(3650),
  })
)

/** The audit log: filterable, paged by cursor; HTMX filtering swaps only the table */
export default class AuditLogController {
  /** Validated filters, or the field errors of bad ones */
  private async filtersOf(ctx: HttpContext) {
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
    return { query, filters, errors, zone }
  }

  async index(ctx: HttpContext) {
    const { query, filters, errors, zone } = await this.filtersOf(ctx)
    /* Bad filters show their errors and no rows, rather than silently widening the result */
    const page = Object.keys(errors).length ? { entries: [], nextCursor: null } : await auditPage(filters, zone)
    const shown = Object.fromEntries(
      FILTER_KEYS.map((key) => [key, typeof query[key] === 'string' ? (query[key] as string) : ''])
    ) as Record<(typeof FILTER_KEYS)[number], string>
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
      exportUrl: `${BASE}/export${url().slice(BASE.length)}`,
      errors,
      zone,
    }
    if (wantsFragment(ctx)) return ctx.view.render('partials/settings/audit_table', data)
    return ctx.view.render('pages/settings/audit', {
      ...data,
      options: await auditFilterOptions(),
      retentionDays: ctx.session.flashMessages.get('auditRetentionDays') ?? (await adminPolicyOf(ctx.tenant!.id)).auditRetentionDays,
      canManage: ctx.permissions.has('kernel.settings.manage'),
    })
  }

  /** The filtered entries as CSV, streamed a page at a time; bad filters answer 422 */
  async export(ctx: HttpContext) {
    const { filters, errors, zone } = await this.filtersOf(ctx)
    if (Object.keys(errors).length) {
      return ctx.response.status(422).send(Object.values(errors).join('\n'))
    }
    const csv = stringify({ header: true, columns: [...CSV_COLUMNS] })
    const write = async () => {
      for await (const entry of auditEntries(filters, zone)) {
        if (!csv.write(csvRow(entry, zone))) await new Promise((resolve) => csv.once('drain', resolve))
      }
      csv.end()
    }
    write().catch((error) => csv.destroy(error))
    const name = `audit-${ctx.tenant!.slug}-${DateTime.now().setZone(zone).toFormat('yyyyLLdd-HHmm')}.csv`
    ctx.response.header('content-type', 'text/csv; charset=utf-8')
    ctx.response.header('content-disposition', `attachment; filename="${name}"`)
    ctx.response.header('cache-control', 'no-store')
    return ctx.response.stream(csv)
  }

  async updateRetention(ctx: HttpContext) {
    const input = await validateForm<{ auditRetentionDays: number }>(ctx, retentionValidator, {
      back: BASE,
      labels: { auditRetentionDays: 'security_admin.audit_retention_days' },
    })
    if (!input) return
    const current = await adminPolicyOf(ctx.tenant!.id)
    await updateAdminPolicy(ctx.tenant!.id, { ...current, auditRetentionDays: input.auditRetentionDays })
    ctx.session.flash('success', ctx.i18n.t('security_admin.audit_retention_saved', { days: input.auditRetentionDays }))
    return ctx.response.redirect(BASE)
  }
}
