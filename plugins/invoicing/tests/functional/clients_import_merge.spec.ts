import { test } from '@japa/runner'
import AuditLog from '#models/audit_log'
import hooks from '#kernel/hooks'
import { makeTenant } from '#tests/helpers/tenants'
import Client from '../../models/client.js'
import Contact from '../../models/contact.js'
import { addContact, createClient } from '../../services/clients.js'
import { createDraft } from '../../services/documents.js'
import { createProfile } from '../../services/recurring.js'
import Document from '../../models/document.js'
import RecurringProfile from '../../models/recurring_profile.js'

const CSV = [
  'Name,Kind,Email,VAT,Currency,Country,Contact First Name,Contact Email,Payment Terms,Colour',
  'Alpha GmbH,company,alpha@example.test,DE111111111,EUR,DE,Anna,anna@alpha.test,30,red',
  ',company,nobody@example.test,,EUR,DE,,,,',
  'Beta Ltd,company,not-an-email,,EUX,GB,,,,',
  'Gamma KK,company,gamma@example.test,,JPY,JP,,,400,',
  'Delta SA,company,existing@example.test,,EUR,FR,,,,',
  'Alpha Copy,company,,DE111111111,EUR,DE,,,,',
  '"Epsilon, Inc.",individual,,,usd,us,Ed,ed-at-example,,',
].join('\n')

test.group('Invoicing clients: CSV import', () => {
  test('the preview shows which rows will be created and each row\'s errors, without writing', async ({ client, assert }) => {
    const t = await makeTenant()
    await t.run(() => createClient({ kind: 'company', name: 'Delta', email: 'existing@example.test', currency: 'EUR', language: 'en' }))
    const preview = await client
      .post('/app/invoicing/clients/import/preview')
      .header('host', t.host)
      .loginAs(t.owner)
      .file('file', Buffer.from(CSV), { filename: 'clients.csv', contentType: 'text/csv' })
      .withCsrfToken()
    preview.assertStatus(200)
    const html = preview.text()
    const result = (line: number) => html.match(new RegExp(`data-line="${line}" data-result="(\\w+)"`))?.[1]
    assert.equal(result(2), 'create')
    assert.equal(result(3), 'skip')
    assert.equal(result(4), 'skip')
    assert.equal(result(5), 'skip')
    assert.equal(result(6), 'skip')
    assert.equal(result(7), 'skip')
    assert.equal(result(8), 'skip')
    const row = (line: number) => html.slice(html.indexOf(`data-line="${line}"`), html.indexOf('</tr>', html.indexOf(`data-line="${line}"`)))
    assert.include(row(3), '<code>name</code>')
    assert.include(row(4), '<code>email</code>')
    assert.include(row(4), '<code>currency</code>')
    assert.include(row(5), '<code>payment_terms_days</code>')
    assert.include(row(6), 'Already exists')
    assert.include(row(7), 'Already exists (line 2)')
    assert.include(row(8), '<code>contact_email</code>')
    assert.include(html, 'Ignored columns: Colour')
    assert.include(html, '1 row will be created, 6 rows have errors and will be skipped')
    assert.equal(await t.run(async () => (await Client.query()).length), 1, 'the preview writes nothing')

    const csv = html.match(/name="csv" value="([^"]*)"/)![1]
    assert.include(csv, 'Alpha GmbH')
  })

  test('confirming creates the valid rows with their contacts and skips the others', async ({ client, assert }) => {
    const t = await makeTenant()
    const csv = CSV.replace('ed-at-example', 'ed@example.test')
    const response = await client
      .post('/app/invoicing/clients/import')
      .header('host', t.host)
      .loginAs(t.owner)
      .form({ csv })
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(302)
    assert.equal(response.header('location'), '/app/invoicing/clients')
    const clients = await t.run(() => Client.query().orderBy('name'))
    assert.deepEqual(clients.map((c) => c.name), ['Alpha GmbH', 'Delta SA', 'Epsilon, Inc.'])
    const alpha = clients[0]
    assert.equal(alpha.vatId, 'DE111111111')
    assert.equal(alpha.paymentTermsDays, 30)
    const epsilon = clients[2]
    assert.equal(epsilon.kind, 'individual')
    assert.equal(epsilon.currency, 'USD')
    assert.equal(epsilon.country, 'US')
    const contacts = await t.run(() => Contact.query().where('client_id', alpha.id))
    assert.lengthOf(contacts, 1)
    assert.equal(contacts[0].email, 'anna@alpha.test')
    assert.isTrue(contacts[0].isPrimary)
    const imported = await AuditLog.forTenant(t.tenant.id).where('action', 'invoicing.clients.imported').firstOrFail()
    assert.equal((imported.after as any).created, 3)
  })

  test('semicolon files work; a file without a name column or rows is refused as a whole', async ({ client, assert }) => {
    const t = await makeTenant()
    const semicolon = await client
      .post('/app/invoicing/clients/import/preview')
      .header('host', t.host)
      .loginAs(t.owner)
      .file('file', Buffer.from('\uFEFFname;email;city\nMüller & Söhne;info@mueller.test;Köln\n'), { filename: 'x.csv', contentType: 'text/csv' })
      .withCsrfToken()
    assert.include(semicolon.text(), 'data-line="2" data-result="create"')
    assert.include(semicolon.text(), 'Müller &amp; Söhne')

    const noName = await client
      .post('/app/invoicing/clients/import/preview')
      .header('host', t.host)
      .loginAs(t.owner)
      .file('file', Buffer.from('email\na@b.test\n'), { filename: 'x.csv', contentType: 'text/csv' })
      .withCsrfToken()
    assert.include(noName.text(), 'The file has no &quot;name&quot; column')

    const broken = await client
      .post('/app/invoicing/clients/import/preview')
      .header('host', t.host)
      .loginAs(t.owner)
      .file('file', Buffer.from('name,email\n"unclosed,quote\n'), { filename: 'x.csv', contentType: 'text/csv' })
      .withCsrfToken()
    broken.assertStatus(200)
    assert.include(broken.text(), 'could not be read as CSV')

    const none = await client.post('/app/invoicing/clients/import/preview').header('host', t.host).loginAs(t.owner).form({}).withCsrfToken().redirects(0)
    none.assertStatus(302)
    assert.equal(none.header('location'), '/app/invoicing/clients/import')
  })

  test('XSS payloads in CSV cells come back escaped in the preview', async ({ client, assert }) => {
    const t = await makeTenant()
    const preview = await client
      .post('/app/invoicing/clients/import/preview')
      .header('host', t.host)
      .loginAs(t.owner)
      .file('file', Buffer.from('name,email\n<script>alert(1)</script>,"<img src=x onerror=alert(1)>"\n'), { filename: 'x.csv', contentType: 'text/csv' })
      .withCsrfToken()
    assert.notInclude(preview.text(), '<script>alert(1)')
    assert.notInclude(preview.text(), '<img src=x')
    assert.include(preview.text(), '&lt;script&gt;alert(1)&lt;/script&gt;')
  })
})

test.group('Invoicing clients: merge', () => {
  test('the duplicate\'s contacts move, empty fields are filled, the duplicate is archived, the hook fires and the merge is audited', async ({ client, assert }) => {
    const t = await makeTenant()
    const { survivor, duplicate } = await t.run(async () => {
      const s = await createClient({ kind: 'company', name: 'Acme', currency: 'EUR', language: 'en', email: 'a@acme.test' })
      const d = await createClient({ kind: 'company', name: 'ACME GmbH', currency: 'EUR', language: 'en', vat_id: 'DE999999999', city: 'Berlin' })
      await addContact(s, { first_name: 'Stays' })
      await addContact(d, { first_name: 'Moves', is_primary: true })
      await addContact(d, { first_name: 'Also moves' })
      await createDraft('invoice', { clientId: d.id, lines: [{ description: 'Work', quantity: 10000, unitPrice: 1000 }] })
      await createProfile({ client_id: d.id, name: 'Monthly', interval: 'monthly', start_on: '2031-01-01', lines: [{ productId: null, description: 'Fee', quantity: 10000, unit: 'C62', unitPrice: 100, taxRateId: null }] })
      return { survivor: s, duplicate: d }
    })
    const seen: unknown[] = []
    hooks.addAction('invoicing.clients.merged', (payload) => void seen.push(payload), { plugin: 'invoicing' })

    const form = await client.get(`/app/invoicing/clients/merge?a=${survivor.id}`).header('host', t.host).loginAs(t.owner)
    form.assertStatus(200)
    assert.include(form.text(), 'ACME GmbH')

    const response = await client
      .post('/app/invoicing/clients/merge')
      .header('host', t.host)
      .loginAs(t.owner)
      .form({ survivor_id: String(survivor.id), duplicate_id: String(duplicate.id) })
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(302)
    assert.equal(response.header('location'), `/app/invoicing/clients/${survivor.id}`)

    await survivor.refresh()
    await duplicate.refresh()
    assert.equal(duplicate.mergedIntoId, survivor.id)
    assert.isNotNull(duplicate.archivedAt)
    assert.equal(survivor.vatId, 'DE999999999')
    assert.equal(survivor.city, 'Berlin')
    assert.equal(survivor.email, 'a@acme.test')
    const contacts = await t.run(() => Contact.query().where('client_id', survivor.id).orderBy('id'))
    assert.deepEqual(contacts.map((c) => c.firstName), ['Stays', 'Moves', 'Also moves'])
    assert.deepEqual(contacts.map((c) => c.isPrimary), [true, false, false])
    assert.deepInclude(seen, { tenantId: t.tenant.id, survivorId: survivor.id, mergedId: duplicate.id })
    const drafts = await t.run(() => Document.query())
    assert.deepEqual(drafts.map((d) => [d.clientId, d.clientName]), [[survivor.id, 'Acme']], 'documents follow the survivor')
    assert.equal((await t.run(() => RecurringProfile.query().firstOrFail())).clientId, survivor.id)
    const entry = await AuditLog.forTenant(t.tenant.id).where('action', 'invoicing.client.merged').firstOrFail()
    assert.equal(entry.subjectId, String(survivor.id))

    const dupPage = await client.get(`/app/invoicing/clients/${duplicate.id}`).header('host', t.host).loginAs(t.owner)
    assert.include(dupPage.text(), 'This client was merged into')

    /* Merging again, or a client into itself, is refused with a field error */
    const again = await client
      .post('/app/invoicing/clients/merge')
      .header('host', t.host)
      .loginAs(t.owner)
      .form({ survivor_id: String(survivor.id), duplicate_id: String(duplicate.id) })
      .withCsrfToken()
      .redirects(0)
    assert.equal(again.header('location'), '/app/invoicing/clients/merge')
    assert.deepEqual(again.flashMessages().errorsBag ?? again.flashMessages().inputErrorsBag, {
      duplicate_id: 'That client was already merged into another',
    })
    const self = await client
      .post('/app/invoicing/clients/merge')
      .header('host', t.host)
      .loginAs(t.owner)
      .form({ survivor_id: String(survivor.id), duplicate_id: String(survivor.id) })
      .withCsrfToken()
      .redirects(0)
    assert.equal(self.header('location'), '/app/invoicing/clients/merge')
  })
})
