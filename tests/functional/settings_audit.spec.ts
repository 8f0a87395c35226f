import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import AuditLog from '#models/audit_log'
import { makeTenant, type TestTenant } from '#tests/helpers/tenants'

async function entry(t: TestTenant, action: string, createdAt: string, extra: Partial<AuditLog> = {}) {
  return AuditLog.create({
    tenantId: t.tenant.id,
    actorType: 'user',
    actorId: t.owner.id,
    actorLabel: t.owner.email,
    action,
    subjectType: 'thing',
    subjectId: '1',
    before: null,
    after: null,
    ip: null,
    userAgent: null,
    createdAt: DateTime.fromISO(createdAt, { zone: 'utc' }),
    ...extra,
  })
}

/* audit_logs ids are big integers: PostgreSQL hands them back as strings */
const idOf = (log: AuditLog) => Number(log.id)

const ids = (html: string) => [...html.matchAll(/data-audit-id="(\d+)"/g)].map((m) => Number(m[1]))

test.group('Settings: audit log', () => {
  test('shows entries newest first, in the tenant time zone, with their before/after', async ({ client, assert }) => {
    const t = await makeTenant()
    t.tenant.timezone = 'America/New_York'
    await t.tenant.save()
    const row = await entry(t, 'thing.changed', '2026-07-01T02:15:00Z', {
      before: { name: 'Old', same: 'x' },
      after: { name: 'New', same: 'x' },
    })
    const page = await client.get('/app/settings/audit').header('host', t.host).loginAs(await t.user('accountant'))
    page.assertStatus(200)
    const html = page.text()
    assert.equal(ids(html)[0], idOf(row))
    assert.include(html, '2026-06-30 22:15:00')
    assert.include(html, 'Time (America/New_York)')
    assert.match(html, /<del><span class="sr-only">before: <\/span>Old<\/del>/)
    assert.match(html, /<ins><span class="sr-only">after: <\/span>New<\/ins>/)
    assert.include(html, 'tenant.created')
  })

  test('never shows another tenant\'s entries', async ({ client, assert }) => {
    const a = await makeTenant()
    const b = await makeTenant()
    const foreign = await entry(b, 'secret.thing', '2026-07-01T10:00:00Z')
    const html = (await client.get('/app/settings/audit').header('host', a.host).loginAs(a.owner)).text()
    assert.notInclude(ids(html), idOf(foreign))
    assert.notInclude(html, 'secret.thing')
    const filtered = await client
      .get('/app/settings/audit')
      .qs({ action: 'secret.thing', actor: b.owner.id })
      .header('host', a.host)
      .loginAs(a.owner)
    assert.deepEqual(ids(filtered.text()), [])
  })

  test('filters by action, actor and a date range in the tenant time zone', async ({ client, assert }) => {
    const t = await makeTenant()
    t.tenant.timezone = 'Europe/Berlin'
    await t.tenant.save()
    const staff = await t.user('staff')
    const early = await entry(t, 'thing.changed', '2026-03-09T22:30:00Z')
    const inside = await entry(t, 'thing.changed', '2026-03-10T00:30:00Z')
    const late = await entry(t, 'thing.changed', '2026-03-11T23:30:00Z')
    const byStaff = await entry(t, 'thing.changed', '2026-03-10T12:00:00Z', { actorId: staff.id, actorLabel: staff.email })
    await entry(t, 'other.action', '2026-03-10T12:00:00Z')

    const get = (qs: Record<string, string | number>) =>
      client.get('/app/settings/audit').qs(qs).header('host', t.host).loginAs(t.owner)

    const byAction = ids((await get({ action: 'thing.changed' })).text())
    assert.sameMembers(byAction, [early, inside, late, byStaff].map(idOf))

    const byActor = ids((await get({ action: 'thing.changed', actor: staff.id })).text())
    assert.deepEqual(byActor, [idOf(byStaff)])

    /* 2026-03-10 in Berlin is 2026-03-09T23:00Z .. 2026-03-10T23:00Z */
    const byDay = ids((await get({ action: 'thing.changed', from: '2026-03-10', to: '2026-03-10' })).text())
    assert.sameMembers(byDay, [inside, byStaff].map(idOf))
  })

  test('an HTMX filter request answers only the table fragment, keyed on HX-Request', async ({ client, assert }) => {
    const t = await makeTenant()
    await entry(t, 'thing.changed', '2026-03-10T12:00:00Z')
    const response = await client
      .get('/app/settings/audit')
      .qs({ action: 'thing.changed' })
      .header('host', t.host)
      .header('hx-request', 'true')
      .header('hx-request-type', 'partial')
      .header('hx-target', 'div#kernel-audit-table')
      .loginAs(t.owner)
    response.assertStatus(200)
    const html = response.text()
    assert.match(html, /^\s*(<!--.*?-->\s*)?<div id="kernel-audit-table"/s)
    assert.notInclude(html, '<html')
    assert.notInclude(html, 'kernel-audit-filters')
    assert.include(response.header('vary') ?? '', 'HX-Request')

    const boosted = await client
      .get('/app/settings/audit')
      .header('host', t.host)
      .header('hx-request', 'true')
      .header('hx-request-type', 'full')
      .header('hx-boosted', 'true')
      .loginAs(t.owner)
    assert.include(boosted.text(), '<html')
    assert.include(boosted.text(), 'id="kernel-audit-filters"')
  })

  test('pages through the entries with a cursor', async ({ client, assert }) => {
    const t = await makeTenant()
    const created: number[] = []
    for (let i = 0; i < 30; i++) {
      created.push(idOf(await entry(t, 'bulk.thing', `2026-01-01T00:${String(i).padStart(2, '0')}:00Z`)))
    }
    const newestFirst = [...created].reverse()
    const first = await client.get('/app/settings/audit').qs({ action: 'bulk.thing' }).header('host', t.host).loginAs(t.owner)
    assert.deepEqual(ids(first.text()), newestFirst.slice(0, 25))
    const next = first.text().match(/href="([^"]*before=(\d+)[^"]*)"/)
    assert.isNotNull(next)
    assert.equal(Number(next![2]), newestFirst[24])
    assert.include(next![1], 'action=bulk.thing')

    const second = await client
      .get('/app/settings/audit')
      .qs({ action: 'bulk.thing', before: next![2] })
      .header('host', t.host)
      .loginAs(t.owner)
    assert.deepEqual(ids(second.text()), newestFirst.slice(25))
    assert.notMatch(second.text(), /before=\d+/)
    assert.include(second.text(), 'Newest')
  })

  test('empty filter fields, as the form sends them, mean any', async ({ client, assert }) => {
    const t = await makeTenant()
    const row = await entry(t, 'thing.changed', '2026-03-10T12:00:00Z')
    const page = await client
      .get('/app/settings/audit')
      .qs({ action: '', actor: '', from: '', to: '' })
      .header('host', t.host)
      .loginAs(t.owner)
    page.assertStatus(200)
    assert.include(ids(page.text()), idOf(row))
    assert.notInclude(page.text(), 'Some filters are not valid')
  })

  test('invalid filters show an error and no rows instead of a wider result', async ({ client, assert }) => {
    const t = await makeTenant()
    await entry(t, 'thing.changed', '2026-03-10T12:00:00Z')
    for (const qs of [{ from: '2026-02-31' }, { to: 'yesterday' }, { actor: 'abc' }, { actor: '-3' }]) {
      const page = await client.get('/app/settings/audit').qs(qs).header('host', t.host).loginAs(t.owner)
      page.assertStatus(200)
      assert.deepEqual(ids(page.text()), [], JSON.stringify(qs))
      assert.include(page.text(), 'Some filters are not valid')
    }
    const negative = await client.get('/app/settings/audit').qs({ actor: '-3' }).header('host', t.host).loginAs(t.owner)
    assert.include(negative.text(), 'Actor must be a positive number.')
  })

  test('settings changes made through the pages appear with their actor', async ({ client, assert }) => {
    const t = await makeTenant()
    t.tenant.theme = { ...t.tenant.theme, primary: '#0b5394' }
    await t.tenant.save()
    const admin = await t.user('admin')
    await client
      .post('/app/settings/theme/reset')
      .header('host', t.host)
      .loginAs(admin)
      .withCsrfToken()
      .redirects(0)
    await client
      .post('/app/settings/plugins/sample/disable')
      .header('host', t.host)
      .loginAs(admin)
      .withCsrfToken()
      .redirects(0)
    const html = (
      await client.get('/app/settings/audit').qs({ actor: admin.id }).header('host', t.host).loginAs(t.owner)
    ).text()
    assert.include(html, '<code>plugin.disabled</code>')
    assert.include(html, admin.email)
    const logs = await AuditLog.forTenant(t.tenant.id).where('actor_id', admin.id)
    assert.sameMembers(
      logs.map((l) => l.action),
      ['tenant.theme_reset', 'plugin.disabled']
    )
  })
})
