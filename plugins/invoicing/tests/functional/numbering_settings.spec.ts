import { test } from '@japa/runner'
import { makeTenant } from '#tests/helpers/tenants'
import NumberingSeries from '#plugins/invoicing/models/numbering_series'
import AuditLog from '#models/audit_log'
import { createSeries } from '#plugins/invoicing/services/numbering'

const URL = '/app/invoicing/settings/numbering'

test.group('Settings → Numbering page', () => {
  test('an admin creates a series, sees its next number, edits the starting number', async ({ client, assert }) => {
    const t = await makeTenant()
    const admin = await t.user('admin')
    const empty = await client.get(URL).header('host', t.host).loginAs(admin)
    empty.assertStatus(200)
    assert.include(empty.text(), 'id="invoicing-numbering-empty"')
    assert.include(empty.text(), 'href="/app/invoicing/settings/numbering"')

    const bad = await client
      .post(URL)
      .header('host', t.host)
      .loginAs(admin)
      .form({ documentType: 'invoice', name: 'Main', pattern: 'RE-{counter}', reset: 'yearly', startNumber: '1' })
      .withCsrfToken()
      .redirects(0)
    bad.assertStatus(302)
    bad.assertHeader('location', `${URL}/new`)
    assert.equal(await NumberingSeries.forTenant(t.tenant.id).count('* as n').first().then((r) => Number(r!.$extras.n)), 0)
    const form = await client.get(`${URL}/new`).header('host', t.host).loginAs(admin).withSession({}).redirects(0)
    form.assertStatus(200)

    const ok = await client
      .post(URL)
      .header('host', t.host)
      .loginAs(admin)
      .form({ documentType: 'invoice', name: 'Main', pattern: 'RE-{YYYY}-{counter:4}', reset: 'yearly', startNumber: '1000', isDefault: 'true' })
      .withCsrfToken()
      .redirects(0)
    ok.assertStatus(302)
    ok.assertHeader('location', URL)
    const series = await NumberingSeries.forTenant(t.tenant.id).firstOrFail()
    assert.equal(series.pattern, 'RE-{YYYY}-{counter:4}')
    assert.isTrue(series.isDefault)
    const year = new Date().getUTCFullYear()
    const list = await client.get(URL).header('host', t.host).loginAs(admin)
    assert.include(list.text(), `RE-${year}-1000`)

    const edit = await client.get(`${URL}/${series.id}/edit`).header('host', t.host).loginAs(admin)
    edit.assertStatus(200)
    assert.include(edit.text(), `id="invoicing-numbering-next">RE-${year}-1000<`)
    const saved = await client
      .post(`${URL}/${series.id}`)
      .header('host', t.host)
      .loginAs(admin)
      .form({ name: 'Main', pattern: 'RE-{YYYY}-{counter:4}', reset: 'yearly', startNumber: '2000' })
      .withCsrfToken()
      .redirects(0)
    saved.assertStatus(302)
    await series.refresh()
    assert.equal(series.startNumber, 2000)
    assert.isFalse(series.isDefault)
    const log = await AuditLog.forTenant(t.tenant.id).where('action', 'invoicing.series.updated').firstOrFail()
    assert.deepEqual(log.after, { startNumber: 2000, isDefault: false })

    const preview = await client.get(`${URL}/preview`).qs({ pattern: 'X{YY}{MM}-{counter:3}', reset: 'monthly', startNumber: '7' }).header('host', t.host).loginAs(admin)
    preview.assertStatus(200)
    assert.match(preview.text(), /<code data-preview>X\d{4}-007<\/code>/)
    const badPreview = await client.get(`${URL}/preview`).qs({ pattern: 'X{counter}', reset: 'monthly' }).header('host', t.host).loginAs(admin)
    assert.include(badPreview.text(), 'field-error')
  })

  test('authorization: signed out → sign-in, staff → 403, another tenant’s series → 404', async ({ client }) => {
    const t = await makeTenant()
    const other = await makeTenant()
    const foreign = await other.run(() => createSeries({ documentType: 'quote', name: 'Theirs', pattern: 'Q{counter}', reset: 'never', startNumber: 1 }))
    const signedOut = await client.get(URL).header('host', t.host).redirects(0)
    signedOut.assertStatus(302)
    const staff = await client.get(URL).header('host', t.host).loginAs(await t.user('staff'))
    staff.assertStatus(403)
    const staffPost = await client
      .post(URL)
      .header('host', t.host)
      .loginAs(await t.user('accountant'))
      .form({ documentType: 'invoice', name: 'x', pattern: '{counter}', reset: 'never', startNumber: '1' })
      .withCsrfToken()
      .redirects(0)
    staffPost.assertStatus(403)
    const cross = await client.get(`${URL}/${foreign.id}/edit`).header('host', t.host).loginAs(t.owner)
    cross.assertStatus(404)
    const crossPost = await client
      .post(`${URL}/${foreign.id}`)
      .header('host', t.host)
      .loginAs(t.owner)
      .form({ name: 'Mine', pattern: 'Q{counter}', reset: 'never', startNumber: '5' })
      .withCsrfToken()
      .redirects(0)
    crossPost.assertStatus(404)
  })
})
