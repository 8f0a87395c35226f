import { test } from '@japa/runner'
import AuditLog from '#models/audit_log'
import plugins from '#kernel/plugin_service'
import { makeTenant } from '#tests/helpers/tenants'
import { disablePlugin, enablePlugin, navIds } from '#tests/helpers/plugins'

test.group('Settings: plugins', () => {
  test('lists the installed plugins with version, description and state', async ({ client, assert }) => {
    const t = await makeTenant()
    const page = await client.get('/app/settings/plugins').header('host', t.host).loginAs(t.owner)
    page.assertStatus(200)
    const html = page.text()
    assert.include(html, 'data-plugin-id="sample"')
    assert.include(html, 'Sample notes')
    assert.include(html, '1.0.0')
    assert.include(html, 'Fixture plugin used by the kernel test suite')
    assert.include(html, 'action="/app/settings/plugins/sample/disable"')
    assert.include(html, 'action="/app/settings/plugins/sample_addon/enable"')
    assert.include(html, 'Needs: Sample notes')
  })

  test('disabling through the page hides the plugin: 404 on its pages, gone from the navigation', async ({ client, assert }) => {
    const t = await makeTenant()
    const before = await client.get('/app').header('host', t.host).loginAs(t.owner)
    assert.include(navIds(before.text()), 'sample.notes')

    const response = await client
      .post('/app/settings/plugins/sample/disable')
      .header('host', t.host)
      .loginAs(t.owner)
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(302)
    response.assertHeader('location', '/app/settings/plugins')
    assert.isFalse((await plugins.enabledFor(t.tenant.id)).has('sample'))

    const log = await AuditLog.forTenant(t.tenant.id).where('action', 'plugin.disabled').firstOrFail()
    assert.equal(log.subjectId, 'sample')
    assert.deepEqual(log.before, { enabled: true })
    assert.deepEqual(log.after, { enabled: false })

    const pluginPage = await client.get('/app/sample').header('host', t.host).loginAs(t.owner)
    pluginPage.assertStatus(404)
    const dashboard = await client.get('/app').header('host', t.host).loginAs(t.owner)
    assert.notInclude(navIds(dashboard.text()), 'sample.notes')
    const settings = await client.get('/app/settings/plugins/sample').header('host', t.host).loginAs(t.owner)
    settings.assertStatus(404)

    const other = await makeTenant()
    const elsewhere = await client.get('/app/sample').header('host', other.host).loginAs(other.owner)
    elsewhere.assertStatus(200)
  })

  test('enabling through the page brings the plugin back', async ({ client, assert }) => {
    const t = await makeTenant()
    await disablePlugin(t, 'sample')
    const response = await client
      .post('/app/settings/plugins/sample/enable')
      .header('host', t.host)
      .loginAs(await t.user('admin'))
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(302)
    assert.isTrue((await plugins.enabledFor(t.tenant.id)).has('sample'))
    assert.isNotNull(await AuditLog.forTenant(t.tenant.id).where('action', 'plugin.enabled').first())
    const pluginPage = await client.get('/app/sample').header('host', t.host).loginAs(t.owner)
    pluginPage.assertStatus(200)
  })

  test('dependency problems are shown as a message and change nothing', async ({ client, assert }) => {
    const t = await makeTenant()
    await disablePlugin(t, 'sample')
    const enableAddon = await client
      .post('/app/settings/plugins/sample_addon/enable')
      .header('host', t.host)
      .loginAs(t.owner)
      .withCsrfToken()
      .redirects(0)
    enableAddon.assertStatus(302)
    enableAddon.assertFlashMessage('pluginError', 'Sample add-on needs Sample notes enabled first.')
    assert.isFalse((await plugins.enabledFor(t.tenant.id)).has('sample_addon'))

    await enablePlugin(t, 'sample')
    await enablePlugin(t, 'sample_addon')
    const disableSample = await client
      .post('/app/settings/plugins/sample/disable')
      .header('host', t.host)
      .header('accept-language', 'de')
      .loginAs(t.owner)
      .withCsrfToken()
      .redirects(0)
    disableSample.assertFlashMessage(
      'pluginError',
      'Sample notes wird von Sample add-on benötigt; deaktivieren Sie diese zuerst.'
    )
    assert.isTrue((await plugins.enabledFor(t.tenant.id)).has('sample'))
    assert.isNull(await AuditLog.forTenant(t.tenant.id).whereIn('action', ['plugin.enabled', 'plugin.disabled']).first())

    const page = await client
      .get('/app/settings/plugins')
      .header('host', t.host)
      .loginAs(t.owner)
      .withFlashMessages(disableSample.flashMessages())
    assert.include(page.text(), 'id="kernel-plugins-error"')
  })
})

test.group('Settings: plugin settings', () => {
  test('the form is rendered from the manifest fields with their defaults', async ({ client, assert }) => {
    const t = await makeTenant()
    const page = await client.get('/app/settings/plugins/sample').header('host', t.host).loginAs(t.owner)
    page.assertStatus(200)
    const html = page.text()
    assert.include(html, 'id="kernel-plugin-settings"')
    assert.match(html, /name="greeting" type="text" value="Hello"/)
    assert.match(html, /name="maxNotes" type="number" value="50"[^>]*min="1"[^>]*max="500"/)
    assert.match(html, /type="checkbox" id="showWidget" name="showWidget" value="true" checked/)
    assert.match(html, /<option value="blue" selected>/)
    assert.include(html, 'Maximum notes')
  })

  test('saving persists per tenant and is audited; the other tenant keeps its own values', async ({ client, assert }) => {
    const a = await makeTenant()
    const b = await makeTenant()
    await plugins.saveSettings(b.tenant.id, 'sample', { greeting: 'Servus', maxNotes: 7, showWidget: true, colour: 'green' })

    const response = await client
      .post('/app/settings/plugins/sample')
      .header('host', a.host)
      .loginAs(a.owner)
      .form({ greeting: 'Moin', maxNotes: '120', colour: 'green' })
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(302)
    response.assertHeader('location', '/app/settings/plugins/sample')
    assert.deepEqual(await plugins.settingsFor(a.tenant.id, 'sample'), {
      greeting: 'Moin',
      maxNotes: 120,
      showWidget: false,
      colour: 'green',
    })
    assert.deepEqual(await plugins.settingsFor(b.tenant.id, 'sample'), {
      greeting: 'Servus',
      maxNotes: 7,
      showWidget: true,
      colour: 'green',
    })
    const log = await AuditLog.forTenant(a.tenant.id).where('action', 'plugin.settings_updated').firstOrFail()
    assert.deepEqual(log.before, { greeting: 'Hello', maxNotes: 50, showWidget: true, colour: 'blue' })
    assert.deepEqual(log.after, { greeting: 'Moin', maxNotes: 120, showWidget: false, colour: 'green' })
    assert.isNull(await AuditLog.forTenant(b.tenant.id).where('action', 'plugin.settings_updated').first())

    const page = await client.get('/app/settings/plugins/sample').header('host', a.host).loginAs(a.owner)
    assert.include(page.text(), 'value="Moin"')
    assert.notInclude(page.text(), 'Servus')
  })

  test('bad values are field errors and nothing is saved', async ({ client, assert }) => {
    const t = await makeTenant()
    const response = await client
      .post('/app/settings/plugins/sample')
      .header('host', t.host)
      .loginAs(t.owner)
      .form({ greeting: 'x'.repeat(300), maxNotes: '9999', showWidget: 'maybe', colour: 'purple' })
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(302)
    const errors = response.flashMessages().inputErrorsBag as Record<string, string[]>
    assert.sameMembers(Object.keys(errors), ['greeting', 'maxNotes', 'showWidget', 'colour'])
    assert.equal(errors.maxNotes[0], 'Maximum notes must be at most 500.')
    assert.deepEqual(await plugins.settingsFor(t.tenant.id, 'sample'), {
      greeting: 'Hello',
      maxNotes: 50,
      showWidget: true,
      colour: 'blue',
    })
    assert.isNull(await AuditLog.forTenant(t.tenant.id).where('action', 'plugin.settings_updated').first())
  })

  test('settings of a plugin turned off for the tenant answer 404', async ({ client }) => {
    const t = await makeTenant()
    await disablePlugin(t, 'sample')
    const get = await client.get('/app/settings/plugins/sample').header('host', t.host).loginAs(t.owner)
    get.assertStatus(404)
    const post = await client
      .post('/app/settings/plugins/sample')
      .header('host', t.host)
      .loginAs(t.owner)
      .form({ greeting: 'Hi', maxNotes: '5', colour: 'blue' })
      .withCsrfToken()
      .redirects(0)
    post.assertStatus(404)
  })
})
