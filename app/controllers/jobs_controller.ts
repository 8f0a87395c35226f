import type { HttpContext } from '@adonisjs/core/http'
import { DateTime } from 'luxon'
import { errors as vineErrors } from '@vinejs/vine'
import jobs from '#services/jobs'
import { audit } from '#services/audit_service'
import { NotFoundError } from '#exceptions/domain_errors'
import { JobStateError } from '#jobs/errors'
import { findJobRun, listJobRuns, countsByStatus, type JobListFilter, type JobRunRow } from '#jobs/job_store'
import { jobFilterValidator } from '#jobs/job_filter_validator'
import { JOB_STATUSES } from '#jobs/types'
import { labelledMessages, wantsFragment } from '#controllers/settings/form_support'

const BASE = '/app/settings/jobs'
const LABELS = { status: 'jobs.status', name: 'jobs.name', page: 'jobs.page' }

/** The tenant's background jobs: filter, watch progress, retry failed ones, discard queued ones */
export default class JobsController {
  async index(ctx: HttpContext) {
    const query = ctx.request.qs()
    const errors: Record<string, string> = {}
    let filter: JobListFilter = {}
    try {
      filter = await jobFilterValidator.validate(query, { messagesProvider: labelledMessages(ctx.i18n, LABELS) })
    } catch (error) {
      if (!(error instanceof vineErrors.E_VALIDATION_ERROR)) throw error
      for (const message of error.messages as Array<{ field: string; message: string }>) {
        errors[message.field] ??= message.message
      }
    }
    ctx.response.header('Vary', 'HX-Request')
    const data = await this.tableData(ctx, filter, errors)
    if (wantsFragment(ctx)) return ctx.view.render('partials/jobs/table', data)
    return ctx.view.render('pages/jobs/index', {
      ...data,
      statuses: JOB_STATUSES,
      names: jobs.registry.list().map((j) => j.name).sort(),
    })
  }

  async show(ctx: HttpContext) {
    const job = await findJobRun(ctx.tenant!.id, ctx.params.id)
    if (!job) throw new NotFoundError()
    const zone = ctx.tenant!.timezone
    return ctx.view.render('pages/jobs/show', { job: present(job, zone), zone })
  }

  async retry(ctx: HttpContext) {
    return this.act(ctx, 'retry')
  }

  async discard(ctx: HttpContext) {
    return this.act(ctx, 'discard')
  }

  private async act(ctx: HttpContext, action: 'retry' | 'discard') {
    const tenantId = ctx.tenant!.id
    const job = await findJobRun(tenantId, ctx.params.id)
    if (!job) throw new NotFoundError()
    let message: string
    let kind: 'success' | 'error' = 'success'
    try {
      if (action === 'retry') await jobs.retry(tenantId, job.id)
      else await jobs.discard(tenantId, job.id)
      await audit({
        action: action === 'retry' ? 'jobs.retried' : 'jobs.discarded',
        subjectType: 'job',
        subjectId: job.id,
        before: { status: job.status, attempts: job.attempts },
        after: { status: action === 'retry' ? 'queued' : 'discarded' },
      })
      message = ctx.i18n.t(action === 'retry' ? 'jobs.retried' : 'jobs.discarded', { name: job.name })
    } catch (error) {
      if (!(error instanceof JobStateError)) throw error
      message = ctx.i18n.t(error.messageKey!)
      kind = 'error'
    }
    if (!ctx.isHtmx) {
      ctx.session.flash(kind, message)
      return ctx.response.redirect(this.backUrl(ctx))
    }
    ctx.response.header('Vary', 'HX-Request')
    const filter = await jobFilterValidator.validate(this.returnQuery(ctx)).catch(() => ({}))
    const table = await ctx.view.render('partials/jobs/table', await this.tableData(ctx, filter, {}))
    const toast = await ctx.view.render('partials/toast_oob', { message, kind })
    return table + toast
  }

  private async tableData(ctx: HttpContext, filter: JobListFilter, errors: Record<string, string>) {
    const tenantId = ctx.tenant!.id
    const list = Object.keys(errors).length ? { rows: [], page: 1, hasMore: false } : await listJobRuns(tenantId, filter)
    const params = (page?: number) => {
      const qs = new URLSearchParams()
      if (filter.status) qs.set('status', filter.status)
      if (filter.name) qs.set('name', filter.name)
      if (page && page > 1) qs.set('page', String(page))
      const s = qs.toString()
      return s ? `${BASE}?${s}` : BASE
    }
    return {
      ...list,
      rows: list.rows.map((row) => present(row, ctx.tenant!.timezone)),
      filter: { status: filter.status ?? '', name: filter.name ?? '' },
      counts: await countsByStatus(tenantId),
      errors,
      zone: ctx.tenant!.timezone,
      selfUrl: params(list.page),
      nextUrl: list.hasMore ? params(list.page + 1) : null,
      prevUrl: list.page > 1 ? params(list.page - 1) : null,
      /* the fragment refreshes itself every 2 s while something on it can still change */
      live: list.rows.some((r) => r.status === 'running' || r.status === 'queued'),
    }
  }

  /** The list view the action came from (its filters), carried in a hidden field */
  private returnQuery(ctx: HttpContext) {
    const back = String(ctx.request.input('return', ''))
    return Object.fromEntries(new URLSearchParams(back.startsWith(`${BASE}?`) ? back.slice(BASE.length + 1) : ''))
  }

  private backUrl(ctx: HttpContext) {
    const back = String(ctx.request.input('return', ''))
    return back === BASE || back.startsWith(`${BASE}?`) ? back : BASE
  }
}

/** Adds the times as the tenant reads them */
function present(job: JobRunRow, zone: string) {
  const at = (ms: number | null) => {
    if (ms === null) return null
    const time = DateTime.fromMillis(ms)
    return { iso: time.toUTC().toISO(), label: time.setZone(zone).toFormat('yyyy-LL-dd HH:mm') }
  }
  return { ...job, created: at(job.createdAt)!, finished: at(job.finishedAt) }
}
