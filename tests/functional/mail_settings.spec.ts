/*
| Settings → Mail: the form saves the sender and SMTP settings (password encrypted, kept when
| left empty), refuses private SMTP hosts, queues a test mail; every route is authorised.
*/
import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import webhooksConfig from '#config/webhooks'
import MailMessage from '#models/mail_message'
import TenantMailSetting from '#models/tenant_mail_setting'
import { makeTenant } from '#tests/helpers/tenants'

const FORM = {
  fromName: 'Acme Billing',
  replyTo: 'support@acme.test',
  smtpEnabled: 'on',
  fromAddress: 'billing@acme.test',
  smtpHost: '127.0.0.1',
  smtpPort: '2525',
  smtpSecurity: 'none',
  smtpUsername: 'acme',
  smtpPassword: 'pa55word!',
}

test.group('Mail settings: page', (group) => {
  group.each.teardown(() => {
    webhooksConfig.allowPrivateNetworks = false
  })

  test('an admin saves sender and SMTP settings; the password is encrypted and kept when left empty', async ({ client, assert }) => {
    const t = await makeTenant()
    const admin = await t.user('admin')
    webhooksConfig.allowPrivateNetworks = true
    const post = (form: Record<string, string>) =>
      client.post('/app/settings/mail').header('host', t.host).loginAs(admin).withCsrfToken().form(form).redirects(0)
    ;(await post(FORM)).assertStatus(302)
    const saved = await TenantMailSetting.forTenant(t.tenant.id).firstOrFail()
    assert.equal(saved.fromName, 'Acme Billing')
    assert.equal(saved.smtpPort, 2525)
    assert.equal(saved.smtpPassword, 'pa55word!')
    const raw = await db.from('tenant_mail_settings').where('tenant_id', t.tenant.id).first()
    assert.notInclude(raw.smtp_password, 'pa55word!')

    ;(await post({ ...FORM, smtpPassword: '', fromName: 'Acme' })).assertStatus(302)
    await saved.refresh()
    assert.equal(saved.fromName, 'Acme')
    assert.equal(saved.smtpPassword, 'pa55word!')

    const page = await client.get('/app/settings/mail').header('host', t.host).loginAs(admin)
    page.assertStatus(200)
    page.assertTextIncludes('value="Acme"')
    page.assertTextIncludes('data-section-id="kernel.mail"')
    assert.notInclude(page.text(), 'pa55word!')
  })

  test('{$self}')
    .with(['a private SMTP host gives a field error', 'SMTP on without a host gives a field error', 'a bad reply-to gives a field error'])
    .run(async ({ client, assert }, name) => {
      const t = await makeTenant()
      const form = { ...FORM }
      if (name.startsWith('SMTP on')) form.smtpHost = ''
      if (name.startsWith('a bad')) form.replyTo = 'not-an-address'
      const response = await client.post('/app/settings/mail').header('host', t.host).loginAs(t.owner).withCsrfToken().form(form).redirects(0)
      response.assertStatus(302)
      const flash = response.flashMessages() as any
      const errors = { ...(flash.inputErrorsBag ?? {}), ...(flash.errorsBag ?? {}) }
      assert.property(errors, name.startsWith('a bad') ? 'replyTo' : 'smtpHost')
      assert.isNull(await TenantMailSetting.forTenant(t.tenant.id).first())
    })

  test('a test mail is queued to the signed-in user', async ({ client, assert }) => {
    const t = await makeTenant({ name: 'Test Co' })
    const response = await client.post('/app/settings/mail/test').header('host', t.host).loginAs(t.owner).withCsrfToken().redirects(0)
    response.assertStatus(302)
    const queued = await MailMessage.forTenant(t.tenant.id).firstOrFail()
    assert.deepEqual(queued.to, [t.owner.email])
    assert.equal(queued.subject, 'Test mail from Test Co')
  })
})

const ROUTES = {
  'GET /app/settings/mail': { method: 'get', url: '/app/settings/mail', deniedFor: 'staff' },
  'POST /app/settings/mail': { method: 'post', url: '/app/settings/mail', deniedFor: 'accountant' },
  'POST /app/settings/mail/test': { method: 'post', url: '/app/settings/mail/test', deniedFor: 'accountant' },
} as const

test.group('Mail settings: authorization', () => {
  test('{$self}: signed out goes to the sign-in page')
    .with(Object.keys(ROUTES) as Array<keyof typeof ROUTES>)
    .run(async ({ client, assert }, name) => {
      const t = await makeTenant()
      const route = ROUTES[name]
      const response = await client[route.method](route.url).header('host', t.host).withCsrfToken().redirects(0)
      response.assertStatus(302)
      assert.equal(response.header('location'), `/login?next=${encodeURIComponent(route.url)}`)
    })

  test('{$self}: a role without the permission gets 403')
    .with(Object.keys(ROUTES) as Array<keyof typeof ROUTES>)
    .run(async ({ client, assert }, name) => {
      const t = await makeTenant()
      const route = ROUTES[name]
      const request = route.method === 'get' ? client.get(route.url) : client.post(route.url).form(FORM)
      const response = await request.header('host', t.host).loginAs(await t.user(route.deniedFor)).withCsrfToken().redirects(0)
      response.assertStatus(403)
      assert.isNull(await TenantMailSetting.forTenant(t.tenant.id).first())
      assert.lengthOf(await MailMessage.forTenant(t.tenant.id), 0)
    })

  test('a session of another tenant does not reach this tenant\'s mail settings', async ({ client, assert }) => {
    const t = await makeTenant()
    const other = await makeTenant()
    const response = await client.post('/app/settings/mail').header('host', t.host).loginAs(other.owner).withCsrfToken().form(FORM).redirects(0)
    response.assertStatus(302)
    assert.match(response.header('location') ?? '', /^\/login/)
    assert.isNull(await TenantMailSetting.forTenant(t.tenant.id).first())
  })
})
