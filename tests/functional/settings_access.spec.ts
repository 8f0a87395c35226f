/*
| Every settings route: signed out → sign-in page, a role without the permission → 403, a
| session of another tenant → sign-in page, and ids of another tenant → 404.
*/
import { test } from '@japa/runner'
import Role from '#models/role'
import User from '#models/user'
import { makeTenant, type TestTenant } from '#tests/helpers/tenants'

type RoleKey = 'owner' | 'admin' | 'accountant' | 'staff' | 'viewer'

interface RouteCase {
  method: 'get' | 'post'
  url: (t: TestTenant) => Promise<string>
  /** a role that lacks the route's permission */
  deniedFor: RoleKey
}

const fixed = (url: string) => async () => url
const userUrl = (suffix: string) => async (t: TestTenant) => `/app/settings/users/${(await t.user('viewer')).id}/${suffix}`
const roleUrl = async (t: TestTenant) =>
  `/app/settings/roles/${(await Role.forTenant(t.tenant.id).where('key', 'staff').firstOrFail()).id}`

const ROUTES: Record<string, RouteCase> = {
  'GET general': { method: 'get', url: fixed('/app/settings'), deniedFor: 'staff' },
  'POST general': { method: 'post', url: fixed('/app/settings'), deniedFor: 'accountant' },
  'GET theme': { method: 'get', url: fixed('/app/settings/theme'), deniedFor: 'staff' },
  'POST theme': { method: 'post', url: fixed('/app/settings/theme'), deniedFor: 'accountant' },
  'POST theme reset': { method: 'post', url: fixed('/app/settings/theme/reset'), deniedFor: 'accountant' },
  'GET users': { method: 'get', url: fixed('/app/settings/users'), deniedFor: 'viewer' },
  'POST invite': { method: 'post', url: fixed('/app/settings/users'), deniedFor: 'staff' },
  'POST user role': { method: 'post', url: userUrl('role'), deniedFor: 'staff' },
  'POST user deactivate': { method: 'post', url: userUrl('deactivate'), deniedFor: 'staff' },
  'POST user reactivate': { method: 'post', url: userUrl('reactivate'), deniedFor: 'staff' },
  'POST user resend': { method: 'post', url: userUrl('resend'), deniedFor: 'staff' },
  'GET roles': { method: 'get', url: fixed('/app/settings/roles'), deniedFor: 'accountant' },
  'POST role': { method: 'post', url: roleUrl, deniedFor: 'accountant' },
  'GET plugins': { method: 'get', url: fixed('/app/settings/plugins'), deniedFor: 'accountant' },
  'POST plugin enable': { method: 'post', url: fixed('/app/settings/plugins/sample/enable'), deniedFor: 'accountant' },
  'POST plugin disable': { method: 'post', url: fixed('/app/settings/plugins/sample/disable'), deniedFor: 'accountant' },
  'GET plugin settings': { method: 'get', url: fixed('/app/settings/plugins/sample'), deniedFor: 'accountant' },
  'POST plugin settings': { method: 'post', url: fixed('/app/settings/plugins/sample'), deniedFor: 'accountant' },
  'GET audit': { method: 'get', url: fixed('/app/settings/audit'), deniedFor: 'staff' },
}

test.group('Settings access', () => {
  test('{$self}: signed out goes to the sign-in page')
    .with(Object.keys(ROUTES))
    .run(async ({ client, assert }, name) => {
      const t = await makeTenant()
      const route = ROUTES[name]
      const url = await route.url(t)
      const response = await client[route.method](url).header('host', t.host).withCsrfToken().redirects(0)
      response.assertStatus(302)
      assert.equal(response.header('location'), `/login?next=${encodeURIComponent(url)}`)
    })

  test('{$self}: a role without the permission gets 403')
    .with(Object.keys(ROUTES))
    .run(async ({ client }, name) => {
      const t = await makeTenant()
      const route = ROUTES[name]
      const user = await t.user(route.deniedFor)
      const response = await client[route.method](await route.url(t))
        .header('host', t.host)
        .loginAs(user)
        .withCsrfToken()
        .redirects(0)
      response.assertStatus(403)
    })

  test('{$self}: a session of another tenant goes to the sign-in page')
    .with(Object.keys(ROUTES))
    .run(async ({ client }, name) => {
      const t = await makeTenant()
      const other = await makeTenant()
      const route = ROUTES[name]
      const response = await client[route.method](await route.url(t))
        .header('host', t.host)
        .loginAs(other.owner)
        .withCsrfToken()
        .redirects(0)
      response.assertStatus(302)
      response.assertHeader('location', `/login?next=${encodeURIComponent(await route.url(t))}`)
    })

  test('the owner opens {$self}')
    .with([
      '/app/settings',
      '/app/settings/theme',
      '/app/settings/users',
      '/app/settings/roles',
      '/app/settings/plugins',
      '/app/settings/plugins/sample',
      '/app/settings/audit',
    ])
    .run(async ({ client, assert }, url) => {
      const t = await makeTenant()
      const response = await client.get(url).header('host', t.host).loginAs(t.owner)
      response.assertStatus(200)
      assert.include(response.text(), 'id="kernel-settings-nav"')
    })
})

test.group('Settings: ids of another tenant answer 404', () => {
  test('{$self}')
    .with(['role', 'deactivate', 'reactivate', 'resend'])
    .run(async ({ client, assert }, action) => {
      const a = await makeTenant()
      const b = await makeTenant()
      const victim = await b.user('staff')
      const staffRole = await Role.forTenant(a.tenant.id).where('key', 'viewer').firstOrFail()
      const response = await client
        .post(`/app/settings/users/${victim.id}/${action}`)
        .header('host', a.host)
        .loginAs(a.owner)
        .form({ roleId: staffRole.id })
        .withCsrfToken()
        .redirects(0)
      response.assertStatus(404)
      const untouched = await User.forTenant(b.tenant.id).where('id', victim.id).preload('role').firstOrFail()
      assert.equal(untouched.status, 'active')
      assert.equal(untouched.role.key, 'staff')
    })

  test('a role id of another tenant cannot be assigned or edited', async ({ client, assert }) => {
    const a = await makeTenant()
    const b = await makeTenant()
    const target = await a.user('staff')
    const foreignRole = await Role.forTenant(b.tenant.id).where('key', 'admin').firstOrFail()

    const assign = await client
      .post(`/app/settings/users/${target.id}/role`)
      .header('host', a.host)
      .loginAs(a.owner)
      .form({ roleId: foreignRole.id })
      .withCsrfToken()
      .redirects(0)
    assign.assertStatus(404)
    assert.equal((await User.forTenant(a.tenant.id).where('id', target.id).firstOrFail()).roleId, target.roleId)

    const edit = await client
      .post(`/app/settings/roles/${foreignRole.id}`)
      .header('host', a.host)
      .loginAs(a.owner)
      .form({ 'permissions[]': ['kernel.users.view'] })
      .withCsrfToken()
      .redirects(0)
    edit.assertStatus(404)

    const invite = await client
      .post('/app/settings/users')
      .header('host', a.host)
      .loginAs(a.owner)
      .form({ email: 'new@example.com', fullName: 'New', roleId: foreignRole.id })
      .withCsrfToken()
      .redirects(0)
    invite.assertStatus(404)
    assert.isNull(await User.forTenant(a.tenant.id).where('email', 'new@example.com').first())
  })

  test('an unknown plugin id answers 404', async ({ client }) => {
    const t = await makeTenant()
    for (const [method, url] of [
      ['get', '/app/settings/plugins/nope'],
      ['post', '/app/settings/plugins/nope'],
      ['post', '/app/settings/plugins/nope/enable'],
      ['post', '/app/settings/plugins/nope/disable'],
    ] as const) {
      const response = await client[method](url).header('host', t.host).loginAs(t.owner).withCsrfToken().redirects(0)
      response.assertStatus(404)
    }
  })
})
