import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import hooks from '#kernel/hooks'
import jobs from '#services/jobs'
import { makeTenant, type TestTenant } from '#tests/helpers/tenants'
import { disablePluginAndDependents } from '#tests/helpers/plugins'
import Document from '../../models/document.js'
import RecurringRun from '../../models/recurring_run.js'
import TaxRate from '../../models/tax_rate.js'
import { createClient } from '../../services/clients.js'
import { createProfile, periodDate, runDueProfiles, setPaused, type ProfileInput } from '../../services/recurring.js'

const dueEvents: Array<{ tenantId: number; profileId: number; invoiceId: number }> = []
hooks.addAction('invoice.recurring.due', (payload) => void dueEvents.push(payload), { plugin: 'invoicing' })

async function profileFor(t: TestTenant, overrides: Partial<ProfileInput> = {}) {
  return t.run(async () => {
    const client = await createClient({ kind: 'company', name: 'Monthly GmbH', email: 'ap@monthly.test', currency: 'EUR', language: 'en' })
    const rate = await TaxRate.query().where('is_default', true).firstOrFail()
    return createProfile({
      client_id: client.id,
      name: 'Hosting',
      interval: 'monthly',
      start_on: DateTime.utc().minus({ months: 2 }).toISODate()!,
      lines: [{ productId: null, description: 'Managed hosting', quantity: 10000, unit: 'MON', unitPrice: 4900, taxRateId: rate.id }],
      ...overrides,
    })
  })
}

test.group('Invoicing recurring: periods', () => {
  test('periods are counted from the start, so month ends do not drift', ({ assert }) => {
    assert.equal(periodDate('2026-01-31', 'monthly', null, 1), '2026-02-28')
    assert.equal(periodDate('2026-01-31', 'monthly', null, 2), '2026-03-31')
    assert.equal(periodDate('2024-02-29', 'yearly', null, 1), '2025-02-28')
    assert.equal(periodDate('2026-01-15', 'quarterly', null, 3), '2026-10-15')
    assert.equal(periodDate('2026-01-01', 'weekly', null, 2), '2026-01-15')
    assert.equal(periodDate('2026-01-01', 'custom', 10, 3), '2026-01-31')
  })
})

test.group('Invoicing recurring: billing', () => {
  test('every due period becomes one invoice, once, and fires invoice.recurring.due', async ({ assert }) => {
    const t = await makeTenant()
    const profile = await profileFor(t)
    const created = await t.run(() => runDueProfiles())
    assert.lengthOf(created, 3, 'the start and two monthly periods are due')
    const invoices = await t.run(() => Document.query().whereIn('id', created).orderBy('issue_date'))
    assert.deepEqual(
      invoices.map((d) => d.issueDate),
      [0, 1, 2].map((n) => periodDate(profile.startOn, 'monthly', null, n))
    )
    for (const invoice of invoices) {
      assert.equal(invoice.type, 'invoice')
      assert.equal(invoice.status, 'draft')
      assert.equal(invoice.clientId, profile.clientId)
      assert.equal(invoice.total, 5831, '49.00 + 19% VAT')
    }
    for (const id of created) assert.deepInclude(dueEvents, { tenantId: t.tenant.id, profileId: profile.id, invoiceId: id })

    await profile.refresh()
    assert.equal(profile.occurrences, 3)
    assert.equal(profile.nextRunOn, periodDate(profile.startOn, 'monthly', null, 3))

    const again = await t.run(() => runDueProfiles())
    assert.lengthOf(again, 0, 'running again bills nothing')
    assert.lengthOf(await t.run(() => Document.query().where('client_id', profile.clientId)), 3)
  })

  test('a period already claimed is never billed twice, even when the profile is rewound', async ({ assert }) => {
    const t = await makeTenant()
    const profile = await profileFor(t, { start_on: DateTime.utc().toISODate()! })
    await t.run(() => runDueProfiles())
    profile.occurrences = 0
    profile.nextRunOn = profile.startOn
    await profile.save()
    const created = await t.run(() => runDueProfiles())
    assert.lengthOf(created, 0)
    assert.lengthOf(await RecurringRun.forTenant(t.tenant.id).where('profile_id', profile.id), 1)
  })

  test('two runs at the same time still bill each period once and leave no stray draft', async ({ assert }) => {
    const t = await makeTenant()
    const profile = await profileFor(t)
    const [a, b] = await Promise.all([t.run(() => runDueProfiles()), t.run(() => runDueProfiles())])
    assert.lengthOf([...a, ...b], 3)
    assert.lengthOf(await RecurringRun.forTenant(t.tenant.id).where('profile_id', profile.id), 3)
    const documents = await Document.forTenant(t.tenant.id).where('client_id', profile.clientId)
    assert.sameMembers(documents.map((d) => d.id), [...a, ...b])
  })

  test('auto-finalise numbers the invoice; auto-send queues the mail to the client', async ({ assert }) => {
    const t = await makeTenant()
    const profile = await profileFor(t, { start_on: DateTime.utc().toISODate()!, auto_finalize: true, auto_send: true })
    const [id] = await t.run(() => runDueProfiles())
    const invoice = await t.run(() => Document.findOrFail(id))
    assert.equal(invoice.status, 'finalized')
    assert.isString(invoice.number)
    const queued = await (await import('@adonisjs/lucid/services/db')).default
      .from('job_runs')
      .where('name', 'invoicing:send_document')
      .where('tenant_id', t.tenant.id)
    assert.lengthOf(queued, 1)
    assert.include(queued[0].payload, `"documentId":${invoice.id}`)
    assert.include(queued[0].payload, 'ap@monthly.test')
    await profile.refresh()
    assert.equal(profile.lastRunOn, profile.startOn)
  })

  test('paused and ended profiles bill nothing; the end date ends the profile', async ({ assert }) => {
    const t = await makeTenant()
    const paused = await profileFor(t)
    await t.run(() => setPaused(paused, true))
    assert.lengthOf(await t.run(() => runDueProfiles()), 0)

    const start = DateTime.utc().minus({ weeks: 5 })
    const ending = await profileFor(t, { interval: 'weekly', start_on: start.toISODate()!, end_on: start.plus({ weeks: 1 }).toISODate()! })
    const created = await t.run(() => runDueProfiles())
    assert.lengthOf(created, 2)
    await ending.refresh()
    assert.equal(ending.status, 'ended')
    assert.isNull(ending.nextRunOn)
  })

  test('the scheduled job bills the tenant in its payload; with the plugin disabled it does nothing', async ({ assert }) => {
    const on = await makeTenant()
    const off = await makeTenant()
    const onProfile = await profileFor(on, { start_on: DateTime.utc().toISODate()! })
    const offProfile = await profileFor(off, { start_on: DateTime.utc().toISODate()! })
    await disablePluginAndDependents(off, 'invoicing')
    await jobs.dispatch('invoicing:run_recurring', { tenantId: on.tenant.id })
    await jobs.dispatch('invoicing:run_recurring', { tenantId: off.tenant.id })
    await jobs.drain({ timeoutMs: 20000 })
    assert.lengthOf(await RecurringRun.forTenant(on.tenant.id).where('profile_id', onProfile.id), 1)
    assert.lengthOf(await RecurringRun.forTenant(off.tenant.id).where('profile_id', offProfile.id), 0)
    assert.lengthOf(await Document.forTenant(off.tenant.id), 0)
  }).timeout(30000)
})
