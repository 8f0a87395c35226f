import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import { makeTenant } from '#tests/helpers/tenants'
import { assertProblem, tokenFor } from '#tests/helpers/api'
import { navIds, disablePluginAndDependents } from '#tests/helpers/plugins'
import RecurringProfile from '../../models/recurring_profile.js'
import TaxRate from '../../models/tax_rate.js'
import Document from '../../models/document.js'
import { createClient } from '../../services/clients.js'
import { createProfile } from '../../services/recurring.js'

const XSS = '<script>alert(1)</script>'

test.group('Invoicing recurring: pages', () => {
  test('create a profile through the form, see it, run it, pause and resume it', async ({ client, assert }) => {
    const t = await makeTenant()
    const c = await t.run(() => createClient({ kind: 'company', name: 'Retainer AG', currency: 'CHF', language: 'de' }))
    const rate = await TaxRate.forTenant(t.tenant.id).where('is_default', true).firstOrFail()
    const form = await client.get('/app/invoicing/recurring/new').header('host', t.host).loginAs(t.owner)
    form.assertStatus(200)
    assert.include(form.text(), 'Retainer AG (CHF)')

    const bad = await client
      .post('/app/invoicing/recurring')
      .header('host', t.host)
      .loginAs(t.owner)
      .form({ client_id: String(c.id), name: 'Retainer', interval: 'custom', start_on: '2026-02-30', 'lines[0][description]': 'X', 'lines[0][unit_price]': '1.234' })
      .withCsrfToken()
      .redirects(0)
    assert.equal(bad.header('location'), '/app/invoicing/recurring/new')
    assert.property(bad.flashMessages().inputErrorsBag ?? {}, 'start_on')

    const badLine = await client
      .post('/app/invoicing/recurring')
      .header('host', t.host)
      .loginAs(t.owner)
      .form({ client_id: String(c.id), name: 'Retainer', interval: 'monthly', start_on: '2026-02-01', 'lines[0][description]': 'X', 'lines[0][unit_price]': '1.234', 'lines[0][quantity]': '1' })
      .withCsrfToken()
      .redirects(0)
    assert.include(Object.keys(badLine.flashMessages().errorsBag ?? {}), 'lines.0.unit_price')
    const shownError = await client
      .get('/app/invoicing/recurring/new')
      .header('host', t.host)
      .loginAs(t.owner)
      .withSession(badLine.session())
      .withFlashMessages(badLine.flashMessages())
    assert.include(shownError.text(), 'id="line-0-unit_price-error"')

    const start = DateTime.utc().toISODate()!
    const ok = await client
      .post('/app/invoicing/recurring')
      .header('host', t.host)
      .loginAs(t.owner)
      .form({
        client_id: String(c.id),
        name: 'Retainer',
        interval: 'quarterly',
        start_on: start,
        'lines[0][description]': 'Retainer fee',
        'lines[0][quantity]': '1',
        'lines[0][unit]': 'MON',
        'lines[0][unit_price]': '1500.00',
        'lines[0][tax_rate_id]': String(rate.id),
        'lines[1][description]': 'Support hours',
        'lines[1][quantity]': '2.5',
        'lines[1][unit]': 'HUR',
        'lines[1][unit_price]': '120',
        'lines[1][tax_rate_id]': '',
        'lines[2][description]': '',
      })
      .withCsrfToken()
      .redirects(0)
    const profile = await RecurringProfile.forTenant(t.tenant.id).firstOrFail()
    assert.equal(ok.header('location'), `/app/invoicing/recurring/${profile.id}`)
    assert.equal(profile.currency, 'CHF')
    assert.deepEqual(profile.lines.map((l) => [l.description, l.quantity, l.unitPrice, l.taxRateId]), [
      ['Retainer fee', 10000, 150000, rate.id],
      ['Support hours', 25000, 12000, null],
    ])
    assert.equal(profile.nextRunOn, start)

    const list = await client.get('/app/invoicing/recurring').header('host', t.host).loginAs(t.owner)
    assert.include(list.text(), `data-profile-id="${profile.id}"`)
    assert.include(navIds(list.text()), 'invoicing.recurring')

    await client.post(`/app/invoicing/recurring/${profile.id}/run`).header('host', t.host).loginAs(t.owner).withCsrfToken().redirects(0)
    const show = await client.get(`/app/invoicing/recurring/${profile.id}`).header('host', t.host).loginAs(t.owner)
    show.assertStatus(200)
    assert.include(show.text(), `data-period="${start}"`)
    const upcoming = [1, 2, 3].map((n) => DateTime.fromISO(start, { zone: 'utc' }).plus({ months: 3 * n }).toISODate())
    assert.include(show.text(), `<dd id="invoicing-recurring-upcoming">${upcoming.join(', ')}</dd>`)
    const invoice = await Document.forTenant(t.tenant.id).where('client_id', c.id).firstOrFail()
    assert.include(show.text(), `/app/invoicing/invoices/${invoice.id}">Draft invoice</a>`)
    assert.equal(invoice.currency, 'CHF')

    await client.post(`/app/invoicing/recurring/${profile.id}/pause`).header('host', t.host).loginAs(t.owner).withCsrfToken().redirects(0)
    await profile.refresh()
    assert.equal(profile.status, 'paused')
    await client.post(`/app/invoicing/recurring/${profile.id}/resume`).header('host', t.host).loginAs(t.owner).withCsrfToken().redirects(0)
    await profile.refresh()
    assert.equal(profile.status, 'active')

    const clientPage = await client.get(`/app/invoicing/clients/${c.id}`).header('host', t.host).loginAs(t.owner)
    assert.include(clientPage.text(), `data-profile-id="${profile.id}"`)
    assert.include(clientPage.text(), `/app/invoicing/invoices?client=${c.id}`)
    const preset = await client.get(`/app/invoicing/recurring/new?client_id=${c.id}`).header('host', t.host).loginAs(t.owner)
    assert.match(preset.text(), new RegExp(`<option value="${c.id}" selected`))

    const edit = await client.get(`/app/invoicing/recurring/${profile.id}/edit`).header('host', t.host).loginAs(t.owner)
    assert.include(edit.text(), 'value="2.5"')
    assert.include(edit.text(), 'value="1500.00"')

    /* A profile that billed something is ended rather than deleted */
    await client.post(`/app/invoicing/recurring/${profile.id}/delete`).header('host', t.host).loginAs(t.owner).withCsrfToken().redirects(0)
    await profile.refresh()
    assert.equal(profile.status, 'ended')
  })

  test('XSS in profile text comes back escaped', async ({ client, assert }) => {
    const t = await makeTenant()
    const p = await t.run(async () => {
      const c = await createClient({ kind: 'company', name: XSS, currency: 'EUR', language: 'en' })
      return createProfile({ client_id: c.id, name: XSS, interval: 'monthly', start_on: '2030-01-01', notes: XSS, lines: [{ productId: null, description: XSS, quantity: 10000, unit: 'C62', unitPrice: 100, taxRateId: null }] })
    })
    for (const url of ['/app/invoicing/recurring', `/app/invoicing/recurring/${p.id}`, `/app/invoicing/recurring/${p.id}/edit`]) {
      const page = await client.get(url).header('host', t.host).loginAs(t.owner)
      page.assertStatus(200)
      assert.notInclude(page.text(), XSS, url)
      assert.include(page.text(), '&lt;script&gt;', url)
    }
  })
})

test.group('Invoicing recurring: API', () => {
  test('CRUD, run, pause and errors on /api/v1/recurring-invoices', async ({ client, assert }) => {
    const t = await makeTenant()
    const token = await tokenFor(t.owner)
    const c = await t.run(() => createClient({ kind: 'company', name: 'API Retainer', currency: 'KWD', language: 'en', email: 'ap@kw.test' }))
    const body = {
      client_id: c.id,
      name: 'Monthly support',
      interval: 'monthly',
      start_on: DateTime.utc().minus({ months: 1 }).toISODate(),
      lines: [{ description: 'Support', quantity: '1.5', unit: 'hur', unit_price: 12345 }],
    }
    const created = await client.post('/api/v1/recurring-invoices').header('host', t.host).bearerToken(token).json(body)
    created.assertStatus(201)
    const data = created.body().data
    assert.containSubset(data, { currency: 'KWD', interval: 'monthly', status: 'active', occurrences: 0, next_run_on: body.start_on })
    assert.deepEqual(data.lines[0], { product_id: null, description: 'Support', quantity: '1.5', unit: 'HUR', unit_price: 12345, tax_rate_id: null })

    const run = await client.post(`/api/v1/recurring-invoices/${data.id}/run`).header('host', t.host).bearerToken(token)
    run.assertStatus(200)
    assert.lengthOf(run.body().data.created_invoice_ids, 2)
    const again = await client.post(`/api/v1/recurring-invoices/${data.id}/run`).header('host', t.host).bearerToken(token)
    assert.lengthOf(again.body().data.created_invoice_ids, 0)
    const shown = await client.get(`/api/v1/recurring-invoices/${data.id}`).header('host', t.host).bearerToken(token)
    assert.lengthOf(shown.body().data.runs, 2)

    const paused = await client.post(`/api/v1/recurring-invoices/${data.id}/pause`).header('host', t.host).bearerToken(token)
    assert.equal(paused.body().data.status, 'paused')
    const resumed = await client.post(`/api/v1/recurring-invoices/${data.id}/resume`).header('host', t.host).bearerToken(token)
    assert.equal(resumed.body().data.status, 'active')
    const patched = await client.patch(`/api/v1/recurring-invoices/${data.id}`).header('host', t.host).bearerToken(token).json({ interval: 'custom', interval_days: 10, auto_send: true })
    patched.assertStatus(200)
    assert.containSubset(patched.body().data, { interval: 'custom', interval_days: 10, auto_finalize: true, auto_send: true })

    const list = await client.get('/api/v1/recurring-invoices?status=active').header('host', t.host).bearerToken(token)
    assert.lengthOf(list.body().data, 1)

    const invalid = await client.post('/api/v1/recurring-invoices').header('host', t.host).bearerToken(token).json({ ...body, interval: 'hourly', lines: [], start_on: 'tomorrow' })
    const fields = assertProblem(assert, invalid, 422, 'E_VALIDATION_ERROR').errors!.map((e) => e.field)
    assert.includeMembers(fields, ['interval', 'lines', 'start_on'])
    const custom = await client.post('/api/v1/recurring-invoices').header('host', t.host).bearerToken(token).json({ ...body, interval: 'custom' })
    assert.equal(assertProblem(assert, custom, 422, 'E_VALIDATION_ERROR').errors![0].field, 'interval_days')
    const unknownClient = await client.post('/api/v1/recurring-invoices').header('host', t.host).bearerToken(token).json({ ...body, client_id: 999999 })
    assert.equal(assertProblem(assert, unknownClient, 422, 'E_VALIDATION_ERROR').errors![0].field, 'client_id')

    const fresh = await client.post('/api/v1/recurring-invoices').header('host', t.host).bearerToken(token).json({ ...body, start_on: '2035-01-01' })
    const removed = await client.delete(`/api/v1/recurring-invoices/${fresh.body().data.id}`).header('host', t.host).bearerToken(token)
    removed.assertStatus(204)
    assertProblem(assert, await client.get(`/api/v1/recurring-invoices/${fresh.body().data.id}`).header('host', t.host).bearerToken(token), 404, 'E_NOT_FOUND')
  })

  test('access: roles, other tenants and the disabled plugin', async ({ client, assert }) => {
    const t = await makeTenant()
    const other = await makeTenant()
    const foreign = await other.run(async () => {
      const c = await createClient({ kind: 'company', name: 'Theirs', currency: 'EUR', language: 'en' })
      return createProfile({ client_id: c.id, name: 'Theirs', interval: 'monthly', start_on: '2020-01-01', lines: [{ productId: null, description: 'X', quantity: 10000, unit: 'C62', unitPrice: 1, taxRateId: null }] })
    })
    const ownerToken = await tokenFor(t.owner)
    for (const [method, path] of [
      ['get', `/api/v1/recurring-invoices/${foreign.id}`],
      ['patch', `/api/v1/recurring-invoices/${foreign.id}`],
      ['delete', `/api/v1/recurring-invoices/${foreign.id}`],
      ['post', `/api/v1/recurring-invoices/${foreign.id}/run`],
      ['post', `/api/v1/recurring-invoices/${foreign.id}/pause`],
      ['post', `/api/v1/recurring-invoices/${foreign.id}/resume`],
    ] as const) {
      const response = await (client as any)[method](path).header('host', t.host).bearerToken(ownerToken).json({})
      assert.equal(response.status(), 404, `${method} ${path}`)
    }
    for (const path of [`/app/invoicing/recurring/${foreign.id}`, `/app/invoicing/recurring/${foreign.id}/edit`]) {
      ;(await client.get(path).header('host', t.host).loginAs(t.owner)).assertStatus(404)
    }
    for (const action of ['run', 'pause', 'resume', 'delete']) {
      const response = await client.post(`/app/invoicing/recurring/${foreign.id}/${action}`).header('host', t.host).loginAs(t.owner).withCsrfToken().redirects(0)
      assert.equal(response.status(), 404, action)
    }
    assert.equal((await RecurringProfile.forTenant(other.tenant.id).firstOrFail()).status, 'active')
    assert.lengthOf(await Document.forTenant(other.tenant.id), 0)

    const viewer = await t.user('viewer')
    const viewerToken = await tokenFor(viewer)
    ;(await client.get('/api/v1/recurring-invoices').header('host', t.host).bearerToken(viewerToken)).assertStatus(200)
    ;(await client.post('/api/v1/recurring-invoices').header('host', t.host).bearerToken(viewerToken).json({})).assertStatus(403)
    ;(await client.get('/app/invoicing/recurring').header('host', t.host).loginAs(viewer)).assertStatus(200)
    ;(await client.get('/app/invoicing/recurring/new').header('host', t.host).loginAs(viewer)).assertStatus(403)
    ;(await client.get('/api/v1/recurring-invoices').header('host', t.host)).assertStatus(401)
    const signedOut = await client.get('/app/invoicing/recurring').header('host', t.host).redirects(0)
    assert.equal(signedOut.status(), 302)

    await disablePluginAndDependents(t, 'invoicing')
    ;(await client.get('/app/invoicing/recurring').header('host', t.host).loginAs(t.owner)).assertStatus(404)
    ;(await client.get('/api/v1/recurring-invoices').header('host', t.host).bearerToken(ownerToken)).assertStatus(404)
  })
})
