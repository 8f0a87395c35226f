import { test } from '@japa/runner'
import User from '#models/user'
import { makeTenant } from '#tests/helpers/tenants'
import { assertProblem, tokenFor } from '#tests/helpers/api'

test.group('API auth: bearer tokens', () => {
  test('no token answers 401 problem+json with a Bearer challenge', async ({ client, assert }) => {
    const t = await makeTenant()
    const response = await client.get('/api/v1/me').header('host', t.host)
    const body = assertProblem(assert, response, 401, 'E_UNAUTHORIZED')
    assert.equal(body.instance, '/api/v1/me')
    assert.match(response.header('www-authenticate') ?? '', /^Bearer/)
  })

  test('an unknown or malformed token answers 401', async ({ client, assert }) => {
    const t = await makeTenant()
    const real = await tokenFor(t.owner)
    const forged = real.slice(0, -4) + (real.endsWith('aaaa') ? 'bbbb' : 'aaaa')
    for (const value of ['cf_nope', 'not-a-token', forged]) {
      const response = await client.get('/api/v1/me').header('host', t.host).bearerToken(value)
      assertProblem(assert, response, 401, 'E_UNAUTHORIZED')
    }
  })

  test('a token of tenant A answers 401 on the host of tenant B', async ({ client, assert }) => {
    const a = await makeTenant()
    const b = await makeTenant()
    const token = await tokenFor(a.owner)
    const own = await client.get('/api/v1/me').header('host', a.host).bearerToken(token)
    own.assertStatus(200)
    const foreign = await client.get('/api/v1/me').header('host', b.host).bearerToken(token)
    assertProblem(assert, foreign, 401, 'E_UNAUTHORIZED')
    const users = await client.get('/api/v1/users').header('host', b.host).bearerToken(token)
    assertProblem(assert, users, 401, 'E_UNAUTHORIZED')
  })

  test('an expired token and a deactivated user answer 401', async ({ client, assert }) => {
    const t = await makeTenant()
    const expired = await tokenFor(t.owner, ['*'], { expiresIn: -60 })
    assertProblem(assert, await client.get('/api/v1/me').header('host', t.host).bearerToken(expired), 401, 'E_UNAUTHORIZED')

    const staff = await t.user('staff')
    const token = await tokenFor(staff)
    ;(await client.get('/api/v1/me').header('host', t.host).bearerToken(token)).assertStatus(200)
    await User.forTenant(t.tenant.id).where('id', staff.id).update({ status: 'deactivated' })
    assertProblem(assert, await client.get('/api/v1/me').header('host', t.host).bearerToken(token), 401, 'E_UNAUTHORIZED')
  })
})

test.group('API auth: scopes narrow the role', () => {
  test('a token without kernel.users.view gets 403 on /users', async ({ client, assert }) => {
    const t = await makeTenant()
    const token = await tokenFor(t.owner, ['kernel.dashboard.view', 'sample.notes.*'])
    const response = await client.get('/api/v1/users').header('host', t.host).bearerToken(token)
    const body = assertProblem(assert, response, 403, 'E_FORBIDDEN')
    assert.include(body.detail!, 'kernel.users.view')
  })

  test('exact, prefix and full wildcards grant /users', async ({ client }) => {
    const t = await makeTenant()
    for (const scopes of [['kernel.users.view'], ['kernel.users.*'], ['kernel.*'], ['*']]) {
      const token = await tokenFor(t.owner, scopes)
      const response = await client.get('/api/v1/users').header('host', t.host).bearerToken(token)
      response.assertStatus(200)
    }
  })

  test('a wildcard never goes beyond the role: a viewer with "*" gets 403 on /users', async ({ client, assert }) => {
    const t = await makeTenant()
    const viewer = await t.user('viewer')
    const token = await tokenFor(viewer, ['*'])
    assertProblem(assert, await client.get('/api/v1/users').header('host', t.host).bearerToken(token), 403, 'E_FORBIDDEN')
  })

  test('plugin endpoints check scopes too, and vanish when the plugin is off', async ({ client, assert }) => {
    const t = await makeTenant()
    const scoped = await tokenFor(t.owner, ['sample.notes.view'])
    const other = await tokenFor(t.owner, ['kernel.*'])
    ;(await client.get('/api/v1/sample/notes').header('host', t.host).bearerToken(scoped)).assertStatus(200)
    assertProblem(assert, await client.get('/api/v1/sample/notes').header('host', t.host).bearerToken(other), 403, 'E_FORBIDDEN')
    const { default: plugins } = await import('#kernel/plugin_service')
    await plugins.setEnabled(t.tenant, 'sample', false)
    assertProblem(assert, await client.get('/api/v1/sample/notes').header('host', t.host).bearerToken(scoped), 404, 'E_NOT_FOUND')
  })
})

test.group('API: /me', () => {
  test('describes the user, tenant, role, effective permissions and the token', async ({ client, assert }) => {
    const t = await makeTenant({ name: 'Me Corp' })
    const staff = await t.user('staff')
    const token = await tokenFor(staff, ['kernel.users.view', 'kernel.audit.view', 'sample.*'])
    const response = await client.get('/api/v1/me').header('host', t.host).bearerToken(token)
    response.assertStatus(200)
    const { data } = response.body()
    assert.deepEqual(data.user, {
      id: staff.id,
      email: staff.email,
      name: 'Test staff',
      locale: null,
      status: 'active',
      twoFactorEnabled: false,
    })
    assert.deepInclude(data.tenant, { id: t.tenant.id, slug: t.tenant.slug, name: 'Me Corp' })
    assert.equal(data.role, 'staff')
    /* the role's permissions within the scopes: staff holds kernel.users.view and the sample ones, not kernel.audit.view */
    assert.includeMembers(data.permissions, ['kernel.users.view', 'sample.notes.manage', 'sample.notes.view'])
    assert.notInclude(data.permissions, 'kernel.audit.view')
    assert.notInclude(data.permissions, 'kernel.dashboard.view')
    assert.isTrue(data.permissions.every((p: string) => p === 'kernel.users.view' || p.startsWith('sample.')))
    assert.deepEqual(data.permissions, [...data.permissions].sort())
    assert.deepEqual(data.token.scopes, ['kernel.users.view', 'kernel.audit.view', 'sample.*'])
    assert.equal(data.token.name, 'test token')
    assert.isNumber(data.token.id)
    assert.match(data.token.created_at, /^\d{4}-\d\d-\d\dT/)
    assert.isNull(data.token.expires_at)
    assert.properties(data.token, ['last_used_at'])
  })
})
