import { test } from '@japa/runner'
import hooks from '#kernel/hooks'
import plugins, { PluginDependencyError } from '#kernel/plugin_service'
import { permissionsOf } from '#services/access_service'
import { audit } from '#services/audit_service'
import { makeTenant } from '#tests/helpers/tenants'
import { apiToken, disablePlugin, enablePlugin, navIds, widgetIds } from '#tests/helpers/plugins'
import { auditSeen } from '../fixtures/plugins/sample/handlers/taps.js'
import { lifecycleCalls } from '../fixtures/plugins/sample/handlers/lifecycle.js'

test.group('Plugins: enabled for the tenant', () => {
  test('its nav entry, dashboard widget and pages are there', async ({ client, assert }) => {
    const t = await makeTenant()
    const dashboard = await client.get('/app').header('host', t.host).loginAs(t.owner)
    dashboard.assertStatus(200)
    assert.include(navIds(dashboard.text()), 'sample.notes')
    assert.include(widgetIds(dashboard.text()), 'sample.count')
    assert.include(dashboard.text(), 'hx-get="/app/sample/widget"')

    const widget = await client.get('/app/sample/widget').header('host', t.host).loginAs(t.owner)
    widget.assertStatus(200)
    assert.include(widget.text(), 'id="sample-notes-widget"')

    const page = await client.get('/app/sample').header('host', t.host).loginAs(t.owner)
    page.assertStatus(200)
    assert.include(page.text(), 'id="sample-notes-list"')
  })

  test('its API answers with a token', async ({ client }) => {
    const t = await makeTenant()
    const token = await apiToken(t.owner)
    const response = await client.get('/api/v1/sample/notes').header('host', t.host).header('authorization', `Bearer ${token}`)
    response.assertStatus(200)
    response.assertBody({ data: [] })
  })

  test('the hooks carry its taps for this tenant', async ({ assert }) => {
    const t = await makeTenant()
    const nav = await hooks.applyFilters('nav.main', [], { tenantId: t.tenant.id })
    const widgets = await hooks.applyFilters('dashboard.widgets', [], { tenantId: t.tenant.id })
    assert.include(nav.map((i) => i.id), 'sample.notes')
    assert.include(widgets.map((w) => w.id), 'sample.count')
  })

  test('the permissions of its manifest are granted', async ({ assert }) => {
    const t = await makeTenant()
    const viewer = await t.user('viewer')
    const staff = await t.user('staff')
    const enabled = await plugins.enabledFor(t.tenant.id)
    assert.isTrue((await permissionsOf(t.owner, enabled)).has('sample.notes.manage'))
    assert.isTrue((await permissionsOf(viewer, enabled)).has('sample.notes.view'))
    assert.isFalse((await permissionsOf(viewer, enabled)).has('sample.notes.manage'))
    assert.isTrue((await permissionsOf(staff, enabled)).has('sample.notes.manage'))
  })
})

test.group('Plugins: disabled for the tenant', () => {
  test('its pages, widget and API answer 404, while another tenant still has them', async ({ client }) => {
    const off = await makeTenant()
    const on = await makeTenant()
    await disablePlugin(off, 'sample')
    const offToken = await apiToken(off.owner)
    const onToken = await apiToken(on.owner)

    for (const url of ['/app/sample', '/app/sample/widget', '/app/sample/1']) {
      const response = await client.get(url).header('host', off.host).loginAs(off.owner)
      response.assertStatus(404)
    }
    const post = await client
      .post('/app/sample')
      .header('host', off.host)
      .loginAs(off.owner)
      .form({ body: 'hidden' })
      .withCsrfToken()
    post.assertStatus(404)
    const api = await client.get('/api/v1/sample/notes').header('host', off.host).header('authorization', `Bearer ${offToken}`)
    api.assertStatus(404)

    ;(await client.get('/app/sample').header('host', on.host).loginAs(on.owner)).assertStatus(200)
    ;(await client.get('/app/sample/widget').header('host', on.host).loginAs(on.owner)).assertStatus(200)
    const onApi = await client.get('/api/v1/sample/notes').header('host', on.host).header('authorization', `Bearer ${onToken}`)
    onApi.assertStatus(200)
  })

  test('its nav entry and dashboard widget are gone, and only for that tenant', async ({ client, assert }) => {
    const off = await makeTenant()
    const on = await makeTenant()
    await disablePlugin(off, 'sample')

    const offPage = await client.get('/app').header('host', off.host).loginAs(off.owner)
    offPage.assertStatus(200)
    assert.notInclude(navIds(offPage.text()), 'sample.notes')
    assert.include(navIds(offPage.text()), 'kernel.dashboard')
    assert.notInclude(widgetIds(offPage.text()), 'sample.count')
    assert.notInclude(offPage.text(), '/app/sample/widget')

    const onPage = await client.get('/app').header('host', on.host).loginAs(on.owner)
    assert.include(navIds(onPage.text()), 'sample.notes')
    assert.include(widgetIds(onPage.text()), 'sample.count')
  })

  test('its hook taps are skipped for that tenant: filters and actions', async ({ assert }) => {
    const off = await makeTenant()
    const on = await makeTenant()
    await disablePlugin(off, 'sample')

    const offNav = await hooks.applyFilters('nav.main', [], { tenantId: off.tenant.id })
    const onNav = await hooks.applyFilters('nav.main', [], { tenantId: on.tenant.id })
    assert.notInclude(offNav.map((i) => i.id), 'sample.notes')
    assert.include(offNav.map((i) => i.id), 'kernel.dashboard')
    assert.include(onNav.map((i) => i.id), 'sample.notes')

    /* Inside a tenant context (a request or a job) the gate reads the context's plugin set */
    const inContext = await off.run(() => hooks.applyFilters('dashboard.widgets', [], { tenantId: off.tenant.id }))
    assert.notInclude(inContext.map((w) => w.id), 'sample.count')

    const before = { off: auditSeen.get(off.tenant.id) ?? 0, on: auditSeen.get(on.tenant.id) ?? 0 }
    await audit({ action: 'test.ping', tenantId: off.tenant.id })
    await audit({ action: 'test.ping', tenantId: on.tenant.id })
    assert.equal(auditSeen.get(off.tenant.id) ?? 0, before.off)
    assert.equal(auditSeen.get(on.tenant.id), before.on + 1)
  })

  test('its permissions are not granted, whatever the role holds', async ({ assert }) => {
    const t = await makeTenant()
    const admin = await t.user('admin')
    await disablePlugin(t, 'sample')
    const enabled = await plugins.enabledFor(t.tenant.id)
    for (const user of [t.owner, admin]) {
      const granted = await permissionsOf(user, enabled)
      assert.notInclude([...granted], 'sample.notes.view')
      assert.notInclude([...granted], 'sample.notes.manage')
      assert.include([...granted], 'kernel.dashboard.view')
    }
  })

  test('enabling it again brings everything back and runs onEnable', async ({ client, assert }) => {
    const t = await makeTenant()
    await disablePlugin(t, 'sample')
    assert.deepInclude(lifecycleCalls, { event: 'disable', tenantId: t.tenant.id })
    await enablePlugin(t, 'sample')
    assert.deepEqual(lifecycleCalls.filter((c) => c.tenantId === t.tenant.id).map((c) => c.event), [
      'enable',
      'disable',
      'enable',
    ])
    const page = await client.get('/app').header('host', t.host).loginAs(t.owner)
    assert.include(navIds(page.text()), 'sample.notes')
  })
})

test.group('Plugins: dependencies between plugins', () => {
  test('the dependent plugin loads after its dependency even though it is configured first', ({ assert }) => {
    const ids = plugins.ids()
    assert.isBelow(ids.indexOf('sample'), ids.indexOf('sample_addon'))
  })

  test('a plugin cannot be enabled before the plugins it depends on', async ({ assert }) => {
    const t = await makeTenant()
    await disablePlugin(t, 'sample')
    const error = await enablePlugin(t, 'sample_addon').catch((e) => e)
    assert.instanceOf(error, PluginDependencyError)
    assert.equal(error.message, 'Plugin "sample_addon" needs "sample" enabled first')
    assert.isFalse((await plugins.enabledFor(t.tenant.id)).has('sample_addon'))
  })

  test('a plugin cannot be disabled while an enabled plugin depends on it', async ({ assert }) => {
    const t = await makeTenant()
    await enablePlugin(t, 'sample_addon')
    const error = await disablePlugin(t, 'sample').catch((e) => e)
    assert.instanceOf(error, PluginDependencyError)
    assert.include(error.message, 'is needed by "sample_addon"')
    assert.isTrue((await plugins.enabledFor(t.tenant.id)).has('sample'))
    await disablePlugin(t, 'sample_addon')
    await disablePlugin(t, 'sample')
    assert.deepEqual(
      [...(await plugins.enabledFor(t.tenant.id))].filter((id) => id.startsWith('sample')),
      []
    )
  })
})

test.group('Plugins: authorization on plugin routes', () => {
  test('signed out: pages redirect to the login, the API answers 401', async ({ client }) => {
    const t = await makeTenant()
    const page = await client.get('/app/sample').header('host', t.host).redirects(0)
    page.assertStatus(302)
    page.assertHeader('location', '/login?next=%2Fapp%2Fsample')
    const api = await client.get('/api/v1/sample/notes').header('host', t.host)
    api.assertStatus(401)
  })

  test('a role without the permission gets 403', async ({ client }) => {
    const t = await makeTenant()
    const viewer = await t.user('viewer')
    ;(await client.get('/app/sample').header('host', t.host).loginAs(viewer)).assertStatus(200)
    const post = await client
      .post('/app/sample')
      .header('host', t.host)
      .loginAs(viewer)
      .form({ body: 'not allowed' })
      .withCsrfToken()
    post.assertStatus(403)
    const narrow = await apiToken(t.owner, ['kernel.*'])
    const api = await client.get('/api/v1/sample/notes').header('host', t.host).header('authorization', `Bearer ${narrow}`)
    api.assertStatus(403)
  })

  test('a session or token of another tenant does not open these routes', async ({ client }) => {
    const a = await makeTenant()
    const b = await makeTenant()
    const page = await client.get('/app/sample').header('host', b.host).loginAs(a.owner).redirects(0)
    page.assertStatus(302)
    const token = await apiToken(a.owner)
    const api = await client.get('/api/v1/sample/notes').header('host', b.host).header('authorization', `Bearer ${token}`)
    api.assertStatus(401)
  })
})

test.group('Plugins: public routes', () => {
  test('answer on the tenant host without sign-in, and 404 where the plugin is off', async ({ client }) => {
    const on = await makeTenant()
    const off = await makeTenant()
    await disablePlugin(off, 'sample')
    const open = await client.get('/p/sample/hello').header('host', on.host)
    open.assertStatus(200)
    open.assertBody({ hello: on.tenant.slug })
    const gone = await client.get('/p/sample/hello').header('host', off.host)
    gone.assertStatus(404)
  })
})
