import { test } from '@japa/runner'
import AuditLog from '#models/audit_log'
import { makeTenant } from '#tests/helpers/tenants'
import { navIds } from '#tests/helpers/plugins'
import Client from '../../models/client.js'
import Contact from '../../models/contact.js'
import { addContact, createClient } from '../../services/clients.js'

const XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'

function clientForm(overrides: Record<string, string> = {}) {
  return {
    kind: 'company',
    name: 'Acme GmbH',
    email: 'billing@acme.test',
    phone: '+49 30 1234',
    vat_id: 'de 123 456 789',
    tax_id: '',
    currency: 'EUR',
    language: 'de',
    payment_terms_days: '30',
    address_line1: 'Hauptstraße 1',
    address_line2: '',
    postal_code: '10115',
    city: 'Berlin',
    region: '',
    country: 'de',
    notes: '',
    ...overrides,
  }
}

test.group('Invoicing clients: pages', () => {
  test('create a client through the form, see it listed and on its page', async ({ client, assert }) => {
    const t = await makeTenant()
    const response = await client
      .post('/app/invoicing/clients')
      .header('host', t.host)
      .loginAs(t.owner)
      .form(clientForm())
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(302)
    const created = await t.run(() => Client.query().where('name', 'Acme GmbH').firstOrFail())
    assert.equal(response.header('location'), `/app/invoicing/clients/${created.id}`)
    assert.equal(created.vatId, 'DE123456789')
    assert.equal(created.country, 'DE')
    assert.equal(created.paymentTermsDays, 30)
    assert.equal(created.tenantId, t.tenant.id)

    const list = await client.get('/app/invoicing/clients').header('host', t.host).loginAs(t.owner)
    list.assertStatus(200)
    assert.include(list.text(), 'id="invoicing-clients-list"')
    assert.include(list.text(), `data-client-id="${created.id}"`)
    assert.include(navIds(list.text()), 'invoicing.clients')
    assert.include(navIds(list.text()), 'invoicing.catalogue')

    const show = await client.get(`/app/invoicing/clients/${created.id}`).header('host', t.host).loginAs(t.owner)
    show.assertStatus(200)
    assert.include(show.text(), 'DE123456789')
    assert.include(show.text(), 'id="invoicing-clients-contacts"')

    const entry = await AuditLog.forTenant(t.tenant.id).where('tenant_id', t.tenant.id).where('action', 'invoicing.client.created').firstOrFail()
    assert.equal(entry.subjectId, String(created.id))
  })

  test('bad input comes back as field errors with the input kept', async ({ client, assert }) => {
    const t = await makeTenant()
    const response = await client
      .post('/app/invoicing/clients')
      .header('host', t.host)
      .loginAs(t.owner)
      .form(clientForm({ name: '', email: 'not-an-email', currency: 'EUX', vat_id: '123', country: 'Germany' }))
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(302)
    assert.equal(response.header('location'), '/app/invoicing/clients/new')
    assert.equal(await t.run(async () => (await Client.query()).length), 0)
    const followed = await client
      .get('/app/invoicing/clients/new')
      .header('host', t.host)
      .loginAs(t.owner)
      .withSession(response.session())
      .withFlashMessages(response.flashMessages())
    followed.assertStatus(200)
    const html = followed.text()
    for (const field of ['name', 'email', 'currency', 'vat_id']) assert.include(html, `id="${field}-error"`)
    assert.include(html, 'value="not-an-email"')
  })

  test('edit a client, archive it and restore it', async ({ client, assert }) => {
    const t = await makeTenant()
    const c = await t.run(() => createClient({ kind: 'company', name: 'Old name', currency: 'EUR', language: 'en' }))
    const edit = await client.get(`/app/invoicing/clients/${c.id}/edit`).header('host', t.host).loginAs(t.owner)
    edit.assertStatus(200)
    assert.include(edit.text(), 'value="Old name"')
    const update = await client
      .post(`/app/invoicing/clients/${c.id}`)
      .header('host', t.host)
      .loginAs(t.owner)
      .form(clientForm({ name: 'New name', kind: 'individual', currency: 'JPY' }))
      .withCsrfToken()
      .redirects(0)
    update.assertStatus(302)
    await c.refresh()
    assert.equal(c.name, 'New name')
    assert.equal(c.kind, 'individual')
    assert.equal(c.currency, 'JPY')

    await client.post(`/app/invoicing/clients/${c.id}/archive`).header('host', t.host).loginAs(t.owner).withCsrfToken().redirects(0)
    await c.refresh()
    assert.isNotNull(c.archivedAt)
    const active = await client.get('/app/invoicing/clients').header('host', t.host).loginAs(t.owner)
    assert.notInclude(active.text(), `data-client-id="${c.id}"`)
    const archived = await client.get('/app/invoicing/clients?status=archived').header('host', t.host).loginAs(t.owner)
    assert.include(archived.text(), `data-client-id="${c.id}"`)

    await client.post(`/app/invoicing/clients/${c.id}/restore`).header('host', t.host).loginAs(t.owner).withCsrfToken().redirects(0)
    await c.refresh()
    assert.isNull(c.archivedAt)
    const actions = (await AuditLog.forTenant(t.tenant.id).where('tenant_id', t.tenant.id).where('subject_id', String(c.id))).map((e) => e.action)
    assert.includeMembers(actions, ['invoicing.client.updated', 'invoicing.client.archived', 'invoicing.client.restored'])
  })

  test('search, filters and keyset pagination of the list', async ({ client, assert }) => {
    const t = await makeTenant()
    await t.run(async () => {
      for (let i = 0; i < 30; i++) {
        await createClient({ kind: i % 2 ? 'individual' : 'company', name: `Client ${String(i).padStart(2, '0')}`, currency: 'EUR', language: 'en', country: i < 5 ? 'AT' : 'DE' })
      }
      const target = await createClient({ kind: 'company', name: 'Zebra Works', currency: 'USD', language: 'en' })
      await addContact(target, { first_name: 'Ursula', last_name: 'Findme' })
    })
    const first = await client.get('/app/invoicing/clients').header('host', t.host).loginAs(t.owner)
    const firstIds = [...first.text().matchAll(/data-client-id="(\d+)"/g)].map((m) => m[1])
    assert.lengthOf(firstIds, 25)
    const next = first.text().match(/href="([^"]+)" rel="next"/)![1].replace(/&amp;/g, '&')
    const second = await client.get(next).header('host', t.host).loginAs(t.owner)
    const secondIds = [...second.text().matchAll(/data-client-id="(\d+)"/g)].map((m) => m[1])
    assert.lengthOf(secondIds, 6)
    assert.lengthOf(new Set([...firstIds, ...secondIds]), 31)

    const byContact = await client.get('/app/invoicing/clients?q=findme').header('host', t.host).loginAs(t.owner)
    assert.include(byContact.text(), 'Zebra Works')
    assert.lengthOf([...byContact.text().matchAll(/data-client-id=/g)], 1)

    const austria = await client.get('/app/invoicing/clients?country=at&kind=company').header('host', t.host).loginAs(t.owner)
    assert.lengthOf([...austria.text().matchAll(/data-client-id=/g)], 3)

    const fragment = await client.get('/app/invoicing/clients?currency=USD').header('host', t.host).header('hx-request', 'true').loginAs(t.owner)
    fragment.assertStatus(200)
    assert.match(fragment.text().trim(), /^<div class="card" id="invoicing-clients-list">/)
    assert.include(fragment.text(), 'Zebra Works')
  })

  test('contacts are added, edited and deleted inline with HTMX fragments', async ({ client, assert }) => {
    const t = await makeTenant()
    const c = await t.run(() => createClient({ kind: 'company', name: 'Contacts Ltd', currency: 'EUR', language: 'en' }))
    const base = `/app/invoicing/clients/${c.id}/contacts`
    const added = await client
      .post(base)
      .header('host', t.host)
      .header('hx-request', 'true')
      .loginAs(t.owner)
      .form({ first_name: 'Ada', last_name: 'Lovelace', email: 'ada@example.test', role: 'CFO' })
      .withCsrfToken()
    added.assertStatus(200)
    assert.match(added.text().trim(), /^<div id="invoicing-clients-contacts">/)
    assert.include(added.text(), 'Ada Lovelace')
    const ada = await t.run(() => Contact.query().where('client_id', c.id).firstOrFail())
    assert.isTrue(ada.isPrimary, 'the first contact becomes the primary one')

    const invalid = await client
      .post(base)
      .header('host', t.host)
      .header('hx-request', 'true')
      .loginAs(t.owner)
      .form({ first_name: '', email: 'nope' })
      .withCsrfToken()
    invalid.assertStatus(422)
    assert.include(invalid.text(), 'id="contact-new-first_name-error"')
    assert.include(invalid.text(), 'id="contact-new-email-error"')

    const second = await t.run(() => addContact(c, { first_name: 'Grace', last_name: 'Hopper', is_primary: true }))
    await ada.refresh()
    assert.isFalse(ada.isPrimary, 'one primary contact per client')

    const editForm = await client.get(`${base}/${second.id}/edit`).header('host', t.host).header('hx-request', 'true').loginAs(t.owner)
    assert.include(editForm.text(), 'id="contact-edit-first_name"')
    const edited = await client
      .post(`${base}/${second.id}`)
      .header('host', t.host)
      .header('hx-request', 'true')
      .loginAs(t.owner)
      .form({ first_name: 'Grace', last_name: 'Brewster', is_primary: 'on' })
      .withCsrfToken()
    edited.assertStatus(200)
    assert.include(edited.text(), 'Grace Brewster')

    const deleted = await client.post(`${base}/${ada.id}/delete`).header('host', t.host).header('hx-request', 'true').loginAs(t.owner).withCsrfToken()
    deleted.assertStatus(200)
    assert.notInclude(deleted.text(), 'Ada Lovelace')
    assert.isNull(await t.run(() => Contact.find(ada.id)))

    /* Without JavaScript the same posts redirect back to the client page */
    const plain = await client.post(base).header('host', t.host).loginAs(t.owner).form({ first_name: 'Linus' }).withCsrfToken().redirects(0)
    plain.assertStatus(302)
    assert.equal(plain.header('location'), `/app/invoicing/clients/${c.id}#invoicing-clients-contacts`)
  })

  test('XSS payloads in every text field come back escaped', async ({ client, assert }) => {
    const t = await makeTenant()
    const c = await t.run(async () => {
      const created = await createClient({
        kind: 'company',
        name: XSS,
        email: null,
        phone: XSS.slice(0, 50),
        tax_id: XSS.slice(0, 50),
        currency: 'EUR',
        language: 'en',
        address_line1: XSS,
        address_line2: XSS,
        postal_code: XSS.slice(0, 20),
        city: XSS,
        region: XSS,
        notes: XSS,
      })
      await addContact(created, { first_name: XSS, last_name: XSS, role: XSS, phone: XSS.slice(0, 50) })
      return created
    })
    for (const url of [`/app/invoicing/clients/${c.id}`, '/app/invoicing/clients', `/app/invoicing/clients/${c.id}/edit`, '/app/invoicing/clients/merge']) {
      const page = await client.get(url).header('host', t.host).loginAs(t.owner)
      page.assertStatus(200)
      assert.notInclude(page.text(), '<script>alert', url)
      assert.notInclude(page.text(), '<img src=x', url)
      assert.include(page.text(), '&lt;script&gt;', url)
    }
  })
})
