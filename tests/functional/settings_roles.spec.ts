import { test } from '@japa/runner'
import Role from '#models/role'
import RolePermission from '#models/role_permission'
import AuditLog from '#models/audit_log'
import { makeTenant, type TestTenant } from '#tests/helpers/tenants'
import { disablePlugin } from '#tests/helpers/plugins'

async function role(t: TestTenant, key: string) {
  return Role.forTenant(t.tenant.id).where('key', key).firstOrFail()
}

async function grants(t: TestTenant, key: string) {
  const r = await role(t, key)
  return (await RolePermission.forTenant(t.tenant.id).where('role_id', r.id)).map((g) => g.permission).sort()
}

test.group('Settings: roles matrix', () => {
  test('shows every role against the kernel and enabled plugin permissions, owners fixed', async ({ client, assert }) => {
    const t = await makeTenant()
    const staff = await role(t, 'staff')
    const owner = await role(t, 'owner')
    const page = await client.get('/app/settings/roles').header('host', t.host).loginAs(t.owner)
    page.assertStatus(200)
    const html = page.text()
    assert.include(html, 'id="kernel-roles-matrix"')
    assert.include(html, 'Core')
    assert.include(html, 'Sample notes')
    assert.include(html, 'Write notes')
    assert.include(html, 'Edit role permissions')
    assert.match(html, new RegExp(`value="sample.notes.manage" form="kernel-role-${staff.id}-form" id="[^"]+" aria-label="[^"]+" checked`))
    assert.match(html, new RegExp(`value="kernel.audit.view" form="kernel-role-${owner.id}-form" id="[^"]+" aria-label="[^"]+" checked disabled`))
    assert.notInclude(html, `id="kernel-role-${owner.id}-form"`)
    assert.include(html, `id="kernel-role-${staff.id}-form"`)
  })

  test('permissions of a plugin turned off are not shown', async ({ client, assert }) => {
    const t = await makeTenant()
    await disablePlugin(t, 'sample')
    const html = (await client.get('/app/settings/roles').header('host', t.host).loginAs(t.owner)).text()
    assert.notInclude(html, 'sample.notes.view')
    assert.include(html, 'kernel.users.view')
  })

  test('saving a role replaces its shown grants, is audited, and takes effect', async ({ client, assert }) => {
    const t = await makeTenant()
    const staff = await role(t, 'staff')
    assert.notInclude(await grants(t, 'staff'), 'kernel.audit.view')
    const response = await client
      .post(`/app/settings/roles/${staff.id}`)
      .header('host', t.host)
      .loginAs(await t.user('admin'))
      .form({ 'permissions[]': ['kernel.dashboard.view', 'kernel.audit.view', 'sample.notes.view', 'no.such.permission'] })
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(302)
    assert.deepEqual(await grants(t, 'staff'), ['kernel.audit.view', 'kernel.dashboard.view', 'sample.notes.view'])

    const log = await AuditLog.forTenant(t.tenant.id).where('action', 'role.permissions_updated').firstOrFail()
    assert.equal(log.subjectId, String(staff.id))
    assert.include(log.before!.permissions as string[], 'sample.notes.manage')
    assert.deepEqual(log.after!.permissions, ['kernel.audit.view', 'kernel.dashboard.view', 'sample.notes.view'])

    const audit = await client.get('/app/settings/audit').header('host', t.host).loginAs(await t.user('staff'))
    audit.assertStatus(200)
  })

  test('unticking everything removes the shown grants and keeps those of plugins turned off', async ({ client, assert }) => {
    const t = await makeTenant()
    await disablePlugin(t, 'sample')
    const staff = await role(t, 'staff')
    await client
      .post(`/app/settings/roles/${staff.id}`)
      .header('host', t.host)
      .loginAs(t.owner)
      .withCsrfToken()
      .redirects(0)
    assert.deepEqual(await grants(t, 'staff'), ['sample.notes.manage', 'sample.notes.view'])
  })

  test('the owner role cannot be edited', async ({ client, assert }) => {
    const t = await makeTenant()
    const owner = await role(t, 'owner')
    const response = await client
      .post(`/app/settings/roles/${owner.id}`)
      .header('host', t.host)
      .loginAs(t.owner)
      .form({ 'permissions[]': ['kernel.dashboard.view'] })
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(302)
    response.assertFlashMessage('error', 'The owner role always holds every permission.')
    assert.deepEqual(await grants(t, 'owner'), [])
    assert.isNull(await AuditLog.forTenant(t.tenant.id).where('action', 'role.permissions_updated').first())
  })

  test('a permission list that is not a list of keys is refused', async ({ client, assert }) => {
    const t = await makeTenant()
    const staff = await role(t, 'staff')
    const before = await grants(t, 'staff')
    const response = await client
      .post(`/app/settings/roles/${staff.id}`)
      .header('host', t.host)
      .loginAs(t.owner)
      .form({ 'permissions[a][b]': 'x' })
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(302)
    assert.property(response.flashMessages().inputErrorsBag, 'permissions')
    assert.deepEqual(await grants(t, 'staff'), before)
  })
})
