import { test } from '@japa/runner'
import Tenant from '#models/tenant'
import AuditLog from '#models/audit_log'
import { makeTenant } from '#tests/helpers/tenants'

const VALID = {
  name: 'Acme Studio',
  legalName: 'Acme Studio GmbH',
  addressLine1: 'Hauptstraße 1',
  addressLine2: '',
  postalCode: '10115',
  city: 'Berlin',
  country: 'DE',
  taxId: '30/123/45678',
  vatId: 'DE123456789',
  email: 'Hello@Acme.test',
  phone: '+49 30 1234567',
  locale: 'de',
  timezone: 'Europe/Berlin',
  currency: 'CHF',
}

test.group('Settings: general', () => {
  test('saving persists the tenant and its profile and audits before and after', async ({ client, assert }) => {
    const t = await makeTenant({ name: 'Old Name' })
    const response = await client
      .post('/app/settings')
      .header('host', t.host)
      .loginAs(t.owner)
      .form(VALID)
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(302)
    response.assertHeader('location', '/app/settings')

    const tenant = await Tenant.findOrFail(t.tenant.id)
    assert.equal(tenant.name, 'Acme Studio')
    assert.equal(tenant.locale, 'de')
    assert.equal(tenant.timezone, 'Europe/Berlin')
    assert.equal(tenant.currency, 'CHF')
    assert.deepEqual(tenant.profile, {
      legalName: 'Acme Studio GmbH',
      addressLine1: 'Hauptstraße 1',
      postalCode: '10115',
      city: 'Berlin',
      country: 'DE',
      taxId: '30/123/45678',
      vatId: 'DE123456789',
      email: 'hello@acme.test',
      phone: '+49 30 1234567',
    })

    const log = await AuditLog.forTenant(t.tenant.id).where('action', 'tenant.settings_updated').firstOrFail()
    assert.equal(log.actorId, t.owner.id)
    assert.equal(log.subjectType, 'tenant')
    assert.equal(log.subjectId, String(t.tenant.id))
    assert.deepInclude(log.before!, { name: 'Old Name', timezone: 'UTC', currency: 'EUR', city: null })
    assert.deepInclude(log.after!, { name: 'Acme Studio', timezone: 'Europe/Berlin', currency: 'CHF', city: 'Berlin' })
    assert.notProperty(log.after!, 'addressLine2')

    const page = await client.get('/app/settings').header('host', t.host).loginAs(t.owner)
    page.assertStatus(200)
    assert.include(page.text(), 'value="Acme Studio GmbH"')
  })

  test('an admin can save; clearing a profile field removes it', async ({ client, assert }) => {
    const t = await makeTenant()
    t.tenant.profile = { city: 'Hamburg', legalName: 'Kept GmbH' }
    await t.tenant.save()
    const admin = await t.user('admin')
    const response = await client
      .post('/app/settings')
      .header('host', t.host)
      .loginAs(admin)
      .form({ ...VALID, city: '' })
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(302)
    const tenant = await Tenant.findOrFail(t.tenant.id)
    assert.notProperty(tenant.profile, 'city')
  })

  test('bad input shows field errors and saves nothing', async ({ client, assert }) => {
    const t = await makeTenant({ name: 'Unchanged' })
    const response = await client
      .post('/app/settings')
      .header('host', t.host)
      .loginAs(t.owner)
      .form({
        ...VALID,
        name: '',
        country: 'XX',
        timezone: 'Mars/Olympus_Mons',
        currency: 'ABC',
        email: 'not-an-email',
        vatId: '123',
        locale: 'fr',
      })
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(302)
    response.assertHeader('location', '/app/settings')
    const errors = response.flashMessages().inputErrorsBag as Record<string, string[]>
    assert.sameMembers(Object.keys(errors), ['name', 'country', 'timezone', 'currency', 'email', 'vatId', 'locale'])
    assert.equal(errors.name[0], 'Workspace name is required.')

    const tenant = await Tenant.findOrFail(t.tenant.id)
    assert.equal(tenant.name, 'Unchanged')
    assert.equal(tenant.timezone, 'UTC')
    assert.deepEqual(tenant.profile, {})
    assert.isNull(await AuditLog.forTenant(t.tenant.id).where('action', 'tenant.settings_updated').first())
  })

  test('after a refused save the form shows what was typed, with the error next to it', async ({ client, assert }) => {
    const t = await makeTenant()
    const agent = { host: t.host }
    const post = await client
      .post('/app/settings')
      .header('host', agent.host)
      .loginAs(t.owner)
      .form({ ...VALID, city: 'Typed City', timezone: 'Nowhere/Land' })
      .withCsrfToken()
      .redirects(0)
    const page = await client
      .get('/app/settings')
      .header('host', t.host)
      .loginAs(t.owner)
      .withSession(post.session())
      .withFlashMessages(post.flashMessages())
    page.assertStatus(200)
    assert.include(page.text(), 'value="Typed City"')
    assert.match(page.text(), /id="timezone-error"/)
  })

  test('time zones are checked against the runtime list; IANA aliases are stored by their listed name', async ({ client, assert }) => {
    const t = await makeTenant()
    for (const [sent, stored] of [
      ['UTC', 'UTC'],
      ['Asia/Katmandu', 'Asia/Katmandu'],
      ['Asia/Kolkata', 'Asia/Calcutta'],
      ['Etc/UTC', 'UTC'],
    ]) {
      const response = await client
        .post('/app/settings')
        .header('host', t.host)
        .loginAs(t.owner)
        .form({ ...VALID, timezone: sent })
        .withCsrfToken()
        .redirects(0)
      response.assertStatus(302)
      assert.isUndefined(response.flashMessages().inputErrorsBag)
      assert.equal((await Tenant.findOrFail(t.tenant.id)).timezone, stored)
    }
    const refused = await client
      .post('/app/settings')
      .header('host', t.host)
      .header('accept-language', 'de')
      .loginAs(t.owner)
      .form({ ...VALID, timezone: 'Europe/Atlantis' })
      .withCsrfToken()
      .redirects(0)
    assert.deepEqual((refused.flashMessages().inputErrorsBag as Record<string, string[]>).timezone, ['Bitte eine Zeitzone aus der Liste wählen.'])
    assert.equal((await Tenant.findOrFail(t.tenant.id)).timezone, 'UTC')
  })

  test('an accountant sees the settings read-only', async ({ client, assert }) => {
    const t = await makeTenant()
    const page = await client.get('/app/settings').header('host', t.host).loginAs(await t.user('accountant'))
    page.assertStatus(200)
    assert.include(page.text(), '<fieldset class="settings-fieldset" disabled')
    assert.notInclude(page.text(), 'type="submit" class="button button-primary"')
  })

  test('the page is in German for German speakers, country names included', async ({ client, assert }) => {
    const t = await makeTenant()
    const page = await client
      .get('/app/settings')
      .header('host', t.host)
      .header('accept-language', 'de')
      .loginAs(t.owner)
    page.assertStatus(200)
    assert.include(page.text(), 'Name des Arbeitsbereichs')
    assert.include(page.text(), '>Deutschland</option>')
  })
})
