/*
| Recurring invoice profiles: a client, template lines and a schedule. The scheduled job
| `invoicing:run_recurring` bills every due period through the documents service: it creates the
| draft, claims the (profile, period) row with it (unique, so a period is billed once however
| often or concurrently the job runs), finalises and sends it when the profile says so, and fires
| `invoice.recurring.due` (the payments plugin charges saved payment methods from there).
*/
import vine from '@vinejs/vine'
import { DateTime } from 'luxon'
import logger from '@adonisjs/core/services/logger'
import hooks from '#kernel/hooks'
import { audit, diff } from '#services/audit_service'
import { NotFoundError } from '#exceptions/domain_errors'
import { defineListing } from '#api/pagination'
import { tenantContext } from '#tenancy/tenant_context'
import RecurringProfile, { RECURRING_INTERVALS, type RecurringInterval, type TemplateLine } from '../models/recurring_profile.js'
import RecurringRun from '../models/recurring_run.js'
import Client from '../models/client.js'
import Contact from '../models/contact.js'
import TaxRate from '../models/tax_rate.js'
import { FieldRefusedError } from './catalogue.js'
import { createDraft, deleteDraft, finalize } from './documents.js'
import { dispatchSend } from './document_delivery.js'
import { today } from './numbering.js'
import { formatQuantity } from './money.js'

export interface ProfileInput {
  client_id: number
  name: string
  currency?: string | null
  lines: TemplateLine[]
  interval: RecurringInterval
  interval_days?: number | null
  start_on: string
  end_on?: string | null
  auto_finalize?: boolean
  auto_send?: boolean
  payment_terms_days?: number | null
  notes?: string | null
  terms?: string | null
}

/** A profile bills at most this many missed periods per run (after a long pause of the worker) */
const MAX_CATCH_UP = 24

export const profilesListing = defineListing({
  sorts: { name: 'invoicing_recurring_profiles.name', created_at: 'invoicing_recurring_profiles.created_at' },
  defaultSort: 'name',
  filters: {
    status: vine.enum(['active', 'paused', 'ended'] as const).optional(),
    client_id: vine.number().withoutDecimals().positive().optional(),
  },
})

export type ProfileListParams = Awaited<ReturnType<typeof profilesListing.validate>>

export function profilesQuery(params: Partial<ProfileListParams>) {
  const query = RecurringProfile.query()
  if (params.status) query.where('invoicing_recurring_profiles.status', params.status)
  if (params.client_id) query.where('invoicing_recurring_profiles.client_id', params.client_id)
  return query
}

export async function findProfile(id: unknown) {
  const n = Number(id)
  const profile = Number.isSafeInteger(n) && n > 0 ? await RecurringProfile.find(n) : null
  if (!profile) throw new NotFoundError()
  return profile
}

/** The calendar date of period `n` (0 = the start), counted from the start so month ends do not drift */
export function periodDate(start: string, interval: RecurringInterval, intervalDays: number | null, n: number) {
  const base = DateTime.fromISO(start, { zone: 'utc' })
  const step =
    interval === 'weekly' ? { weeks: n }
    : interval === 'monthly' ? { months: n }
    : interval === 'quarterly' ? { months: 3 * n }
    : interval === 'yearly' ? { years: n }
    : { days: (intervalDays ?? 1) * n }
  return base.plus(step).toISODate()!
}

function nextOf(profile: Pick<RecurringProfile, 'startOn' | 'interval' | 'intervalDays' | 'occurrences' | 'endOn'>) {
  const next = periodDate(profile.startOn, profile.interval, profile.intervalDays, profile.occurrences)
  return profile.endOn && next > profile.endOn ? null : next
}

/** The next `count` invoice dates of an active profile (none past its end) */
export function upcomingDates(profile: RecurringProfile, count = 3) {
  if (profile.status !== 'active') return []
  const dates: string[] = []
  for (let n = profile.occurrences; dates.length < count; n++) {
    const date = periodDate(profile.startOn, profile.interval, profile.intervalDays, n)
    if (profile.endOn && date > profile.endOn) break
    dates.push(date)
  }
  return dates
}

export function profileView(p: RecurringProfile) {
  return {
    client_id: p.clientId,
    name: p.name,
    currency: p.currency,
    lines: p.lines.map((l) => ({
      product_id: l.productId,
      description: l.description,
      quantity: formatQuantity(l.quantity),
      unit: l.unit,
      unit_price: l.unitPrice,
      tax_rate_id: l.taxRateId,
    })),
    interval: p.interval,
    interval_days: p.intervalDays,
    start_on: p.startOn,
    end_on: p.endOn,
    next_run_on: p.nextRunOn,
    last_run_on: p.lastRunOn,
    occurrences: p.occurrences,
    auto_finalize: p.autoFinalize,
    auto_send: p.autoSend,
    status: p.status,
    payment_terms_days: p.paymentTermsDays,
    notes: p.notes,
    terms: p.terms,
  }
}

export function serializeProfile(p: RecurringProfile) {
  return { id: p.id, ...profileView(p), created_at: p.createdAt.toUTC().toISO(), updated_at: p.updatedAt.toUTC().toISO() }
}

async function check(input: Partial<ProfileInput>) {
  if (input.client_id !== undefined) {
    const client = await Client.find(input.client_id)
    if (!client) throw new FieldRefusedError('client_id', 'invoicing.recurring.errors.client_unknown', 'Unknown client')
    if (client.archivedAt) throw new FieldRefusedError('client_id', 'invoicing.recurring.errors.client_archived', 'The client is archived')
  }
  if (input.interval === 'custom' && !input.interval_days) {
    throw new FieldRefusedError('interval_days', 'invoicing.recurring.errors.interval_days', 'A custom interval needs a number of days')
  }
  if (input.end_on && input.start_on && input.end_on < input.start_on) {
    throw new FieldRefusedError('end_on', 'invoicing.recurring.errors.end_before_start', 'The end is before the start')
  }
  if (input.auto_send && input.auto_finalize === false) {
    throw new FieldRefusedError('auto_send', 'invoicing.recurring.errors.send_needs_finalize', 'Only finalised invoices can be sent')
  }
  const rateIds = [...new Set((input.lines ?? []).map((l) => l.taxRateId).filter((id): id is number => Boolean(id)))]
  if (rateIds.length) {
    const found = await TaxRate.query().whereIn('id', rateIds).select('id')
    if (found.length !== rateIds.length) throw new FieldRefusedError('lines', 'invoicing.errors.tax_rate_unknown', 'Unknown tax rate')
  }
}

function assign(profile: RecurringProfile, input: Partial<ProfileInput>) {
  if (input.client_id !== undefined) profile.clientId = input.client_id
  if (input.name !== undefined) profile.name = input.name
  if (input.currency !== undefined && input.currency) profile.currency = input.currency
  if (input.lines !== undefined) profile.lines = input.lines
  if (input.interval !== undefined) profile.interval = input.interval
  if (input.interval_days !== undefined || input.interval !== undefined) {
    profile.intervalDays = (input.interval ?? profile.interval) === 'custom' ? (input.interval_days ?? profile.intervalDays) : null
  }
  if (input.start_on !== undefined) profile.startOn = input.start_on
  if (input.end_on !== undefined) profile.endOn = input.end_on ?? null
  if (input.auto_finalize !== undefined) profile.autoFinalize = input.auto_finalize
  if (input.auto_send !== undefined) profile.autoSend = input.auto_send
  if (profile.autoSend) profile.autoFinalize = true
  if (input.payment_terms_days !== undefined) profile.paymentTermsDays = input.payment_terms_days ?? null
  if (input.notes !== undefined) profile.notes = input.notes ?? null
  if (input.terms !== undefined) profile.terms = input.terms ?? null
}

/* After a schedule change the next period is recomputed; a profile past its end is ended */
function reschedule(profile: RecurringProfile) {
  profile.nextRunOn = nextOf(profile)
  if (profile.nextRunOn === null) profile.status = 'ended'
  else if (profile.status === 'ended') profile.status = 'active'
}

export async function createProfile(input: ProfileInput) {
  await check(input)
  const client = await Client.findOrFail(input.client_id)
  const profile = new RecurringProfile()
  profile.status = 'active'
  profile.occurrences = 0
  profile.autoFinalize = false
  profile.autoSend = false
  profile.currency = client.currency
  assign(profile, input)
  reschedule(profile)
  await profile.save()
  await audit({ action: 'invoicing.recurring.created', subjectType: 'invoicing_recurring_profile', subjectId: profile.id, after: profileView(profile) })
  return profile
}

export async function updateProfile(profile: RecurringProfile, input: Partial<ProfileInput>) {
  await check({ ...input, start_on: input.start_on ?? profile.startOn, end_on: input.end_on !== undefined ? input.end_on : profile.endOn, auto_finalize: input.auto_finalize ?? (input.auto_send ? true : profile.autoFinalize), interval_days: input.interval_days ?? profile.intervalDays, interval: input.interval ?? profile.interval })
  const before = profileView(profile)
  assign(profile, input)
  if (profile.status !== 'paused') reschedule(profile)
  else profile.nextRunOn = nextOf(profile)
  await profile.save()
  const changes = diff(before, profileView(profile))
  if (Object.keys(changes.after).length) {
    await audit({ action: 'invoicing.recurring.updated', subjectType: 'invoicing_recurring_profile', subjectId: profile.id, ...changes })
  }
  return profile
}

export async function setPaused(profile: RecurringProfile, paused: boolean) {
  if (profile.status === 'ended') return profile
  const status = paused ? 'paused' : 'active'
  if (profile.status === status) return profile
  profile.status = status
  await profile.save()
  await audit({ action: paused ? 'invoicing.recurring.paused' : 'invoicing.recurring.resumed', subjectType: 'invoicing_recurring_profile', subjectId: profile.id })
  return profile
}

/** A profile is deleted only while it has billed nothing; otherwise it is ended */
export async function deleteProfile(profile: RecurringProfile) {
  const billed = await RecurringRun.query().where('profile_id', profile.id).first()
  if (billed) {
    const before = profileView(profile)
    profile.status = 'ended'
    profile.nextRunOn = null
    await profile.save()
    await audit({ action: 'invoicing.recurring.ended', subjectType: 'invoicing_recurring_profile', subjectId: profile.id, before, after: profileView(profile) })
    return 'ended' as const
  }
  await profile.delete()
  await audit({ action: 'invoicing.recurring.deleted', subjectType: 'invoicing_recurring_profile', subjectId: profile.id, before: profileView(profile) })
  return 'deleted' as const
}

export function runsOf(profile: RecurringProfile) {
  return RecurringRun.query().where('profile_id', profile.id).orderBy('period_on', 'desc').limit(100)
}

async function recipientOf(client: Client) {
  if (client.email) return client.email
  const contact = await Contact.query().where('client_id', client.id).whereNotNull('email').orderBy('is_primary', 'desc').orderBy('id').first()
  return contact?.email ?? null
}

/**
 * Bills one period. The draft is created first and then the (profile, period) row is claimed
 * with its id: if another run claimed the period meanwhile, this draft is deleted again. Only a
 * claimed invoice is finalised and sent, so a period is billed once; a crash between the two
 * steps leaves at most an unclaimed draft, never a lost period.
 */
async function billPeriod(profile: RecurringProfile, periodOn: string) {
  const tenantId = profile.tenantId
  const claimed = () => RecurringRun.query().where('profile_id', profile.id).where('period_on', periodOn).first()
  if (await claimed()) return null
  let invoice = await createDraft('invoice', {
    clientId: profile.clientId,
    currency: profile.currency,
    issueDate: periodOn,
    paymentTermsDays: profile.paymentTermsDays,
    notes: profile.notes,
    terms: profile.terms ?? undefined,
    lines: profile.lines.map((l) => ({
      productId: l.productId,
      description: l.description,
      quantity: l.quantity,
      unit: l.unit,
      unitPrice: l.unitPrice,
      taxRateId: l.taxRateId,
    })),
  })
  try {
    await RecurringRun.create({ tenantId, profileId: profile.id, periodOn, documentId: invoice.id })
  } catch (error) {
    await deleteDraft(invoice)
    /* a concurrent run claimed the period between the check and the insert */
    if (await claimed()) return null
    throw error
  }
  if (profile.autoFinalize) {
    invoice = await finalize(invoice)
    if (profile.autoSend) {
      const client = await Client.findOrFail(profile.clientId)
      const to = await recipientOf(client)
      if (to) await dispatchSend(tenantId, invoice, to, null)
      else logger.warn({ tenantId, profileId: profile.id }, 'recurring invoice not sent: the client has no email address')
    }
  }
  await audit({
    action: 'invoicing.recurring.billed',
    subjectType: 'invoicing_recurring_profile',
    subjectId: profile.id,
    after: { period_on: periodOn, invoice_id: invoice.id, status: invoice.status },
    actor: { type: 'system', label: 'invoicing:run_recurring' },
  })
  await hooks.doAction('invoice.recurring.due', { tenantId, profileId: profile.id, invoiceId: invoice.id }, { tenantId })
  return invoice
}

/** Bills every due period of one profile up to `until` (today in the tenant's zone by default) */
export async function runProfile(profile: RecurringProfile, until = today()) {
  const created: number[] = []
  for (let i = 0; i < MAX_CATCH_UP; i++) {
    if (profile.status !== 'active' || !profile.nextRunOn || profile.nextRunOn > until) break
    const periodOn = profile.nextRunOn
    const invoice = await billPeriod(profile, periodOn)
    if (invoice) created.push(invoice.id)
    profile.occurrences += 1
    profile.lastRunOn = periodOn
    reschedule(profile)
    await profile.save()
  }
  return created
}

/** The scheduled job's work for the tenant in context: every active profile with a due period */
export async function runDueProfiles(until = today()) {
  tenantContext.requireTenant('recurring invoices')
  const due = await RecurringProfile.query().where('status', 'active').whereNotNull('next_run_on').where('next_run_on', '<=', until).orderBy('id')
  const created: number[] = []
  let failed: unknown = null
  for (const profile of due) {
    try {
      created.push(...(await runProfile(profile, until)))
    } catch (error) {
      /* one broken profile (an archived client, a removed series) must not stop the others;
         the job still fails afterwards so its retry bills what is left (billed periods are skipped) */
      logger.error({ err: error, tenantId: profile.tenantId, profileId: profile.id }, 'recurring profile failed')
      failed ??= error
    }
  }
  if (failed) throw failed
  return created
}

export { RECURRING_INTERVALS }
