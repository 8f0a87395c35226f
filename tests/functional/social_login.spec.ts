import { test } from '@japa/runner'
import env from '#start/env'
import { Secret } from '@adonisjs/core/helpers'
import type { ApiClient } from '@japa/api-client'
import SocialIdentity from '#models/social_identity'
import AuditLog from '#models/audit_log'
import User from '#models/user'
import { startFakeOAuthServer, type FakeOAuthServer } from '#tests/helpers/fake_oauth_server'
import { makeTenant, type TestTenant } from '#tests/helpers/tenants'

const CLIENTS = {
  google: { clientId: 'google-client.apps.googleusercontent.com', clientSecret: 'google-secret' },
  microsoft: { clientId: '00000000-aaaa-bbbb-cccc-111111111111', clientSecret: 'microsoft-secret' },
}

const SETTINGS = [
  'GOOGLE_CLIENT_ID',
  'GOOGLE_CLIENT_SECRET',
  'MICROSOFT_CLIENT_ID',
  'MICROSOFT_CLIENT_SECRET',
  'MICROSOFT_TENANT',
  'OAUTH_GOOGLE_BASE_URL',
  'OAUTH_MICROSOFT_BASE_URL',
] as const

function configure(values: Partial<Record<(typeof SETTINGS)[number], string | undefined>>) {
  for (const key of SETTINGS) {
    const value = values[key]
    /* Unset is the empty value: undefined would reach process.env as the string "undefined" */
    env.set(key as any, (key.endsWith('_SECRET') ? new Secret(value ?? '') : (value ?? '')) as any)
  }
}

function configureBoth(server: FakeOAuthServer) {
  configure({
    GOOGLE_CLIENT_ID: CLIENTS.google.clientId,
    GOOGLE_CLIENT_SECRET: CLIENTS.google.clientSecret,
    MICROSOFT_CLIENT_ID: CLIENTS.microsoft.clientId,
    MICROSOFT_CLIENT_SECRET: CLIENTS.microsoft.clientSecret,
    MICROSOFT_TENANT: 'organizations',
    OAUTH_GOOGLE_BASE_URL: server.url,
    OAUTH_MICROSOFT_BASE_URL: server.url,
  })
}

/*
| Walks the browser's part of the dance: start on the tenant host, follow the provider's
| redirect (the fake server answers at once with code and state), come back with the cookies
| the start set. `tamper` changes the callback query to test the state check.
*/
async function socialSignIn(
  client: ApiClient,
  t: TestTenant,
  provider: 'google' | 'microsoft',
  tamper?: (query: URLSearchParams) => void
) {
  const start = await client.get(`/auth/${provider}/redirect`).header('host', t.host).redirects(0)
  start.assertStatus(302)
  const authorize = new URL(start.header('location')!)
  const back = await fetch(authorize, { redirect: 'manual' })
  const callback = new URL(back.headers.get('location')!)
  tamper?.(callback.searchParams)
  let request = client
    .get(`${callback.pathname}?${callback.searchParams}`)
    .header('host', t.host)
    .redirects(0)
  for (const name of [`${provider}_oauth_state`, `${provider}_oauth_code_verifier`]) {
    const cookie = start.cookie(name)
    if (cookie?.value) request = request.withEncryptedCookie(name, cookie.value)
  }
  return { start, authorize, callback, response: await request }
}

test.group('Social sign-in', (group) => {
  let server: FakeOAuthServer
  group.setup(async () => {
    server = await startFakeOAuthServer(CLIENTS)
    return async () => {
      configure({})
      await server.close()
    }
  })
  group.each.setup(() => configureBoth(server))

  test('the login page shows buttons only for configured providers', async ({ client, assert }) => {
    const t = await makeTenant()
    const both = await client.get('/login').header('host', t.host)
    both.assertTextIncludes('href="/auth/google/redirect"')
    both.assertTextIncludes('href="/auth/microsoft/redirect"')

    configure({ GOOGLE_CLIENT_ID: CLIENTS.google.clientId, GOOGLE_CLIENT_SECRET: CLIENTS.google.clientSecret })
    const googleOnly = await client.get('/login').header('host', t.host)
    googleOnly.assertTextIncludes('href="/auth/google/redirect"')
    assert.notInclude(googleOnly.text(), '/auth/microsoft/redirect')

    configure({})
    const none = await client.get('/login').header('host', t.host)
    assert.notInclude(none.text(), '/auth/google/redirect')
    assert.notInclude(none.text(), '/auth/microsoft/redirect')
    ;(await client.get('/auth/google/redirect').header('host', t.host).redirects(0)).assertStatus(404)
    ;(await client.get('/auth/github/redirect').header('host', t.host).redirects(0)).assertStatus(404)
  })

  test('Google: an active user with the verified address signs in and the identity is stored', async ({ client, assert }) => {
    const t = await makeTenant()
    server.signInAs('google', { id: 'google-sub-1', name: 'Test Owner', email: t.owner.email, emailVerified: true })
    const { authorize, response } = await socialSignIn(client, t, 'google')

    assert.equal(authorize.origin, server.url)
    assert.equal(authorize.searchParams.get('client_id'), CLIENTS.google.clientId)
    assert.equal(authorize.searchParams.get('redirect_uri'), `http://${t.host}/auth/google/callback`)
    assert.include(authorize.searchParams.get('scope')!, 'openid')
    assert.lengthOf(authorize.searchParams.get('state')!, 32)

    response.assertStatus(302)
    response.assertHeader('location', '/app')
    const identity = await SocialIdentity.forTenant(t.tenant.id).where('provider', 'google').firstOrFail()
    assert.equal(identity.userId, t.owner.id)
    assert.equal(identity.providerUserId, 'google-sub-1')
    const login = await AuditLog.forTenant(t.tenant.id).where('action', 'auth.login').orderBy('id', 'desc').firstOrFail()
    assert.deepEqual(login.after, { via: 'google' })
    const token = server.log.find((r) => r.path === '/token')!
    assert.equal(token.params.client_secret, CLIENTS.google.clientSecret)
  })

  test('Google: a stored identity signs in even after the address changed at the provider', async ({ client }) => {
    const t = await makeTenant()
    server.signInAs('google', { id: 'google-sub-2', name: 'Owner', email: t.owner.email })
    ;(await socialSignIn(client, t, 'google')).response.assertHeader('location', '/app')
    server.signInAs('google', { id: 'google-sub-2', name: 'Owner', email: 'renamed@gmail.com' })
    ;(await socialSignIn(client, t, 'google')).response.assertHeader('location', '/app')
  })

  test('Google: an unknown address is refused and no account is created', async ({ client, assert }) => {
    const t = await makeTenant()
    const before = await User.forTenant(t.tenant.id).count('* as total')
    server.signInAs('google', { id: 'google-stranger', name: 'Stranger', email: 'stranger@gmail.com' })
    const { response } = await socialSignIn(client, t, 'google')
    response.assertStatus(302)
    response.assertHeader('location', '/login')
    response.assertFlashMessage('error', 'There is no active account for this address here. Ask an administrator to invite you.')
    const after = await User.forTenant(t.tenant.id).count('* as total')
    assert.equal(after[0].$extras.total, before[0].$extras.total)
    assert.isNull(await SocialIdentity.forTenant(t.tenant.id).first())
    assert.exists(await AuditLog.forTenant(t.tenant.id).where('action', 'auth.social_login_refused').first())
  })

  test('Google: an unverified address is refused', async ({ client }) => {
    const t = await makeTenant()
    server.signInAs('google', { id: 'google-unverified', name: 'Owner', email: t.owner.email, emailVerified: false })
    const { response } = await socialSignIn(client, t, 'google')
    response.assertHeader('location', '/login')
    response.assertFlashMessage('error', 'The provider did not confirm your email address, so we cannot match it to an account.')
  })

  test('a user of another tenant, an invited user and a deactivated user are refused', async ({ client }) => {
    const a = await makeTenant()
    const b = await makeTenant()
    server.signInAs('google', { id: 'google-other', name: 'B Owner', email: b.owner.email })
    ;(await socialSignIn(client, a, 'google')).response.assertHeader('location', '/login')

    const invited = await a.run(async () => {
      const u = await a.user('viewer')
      u.status = 'invited'
      await u.save()
      return u
    })
    server.signInAs('google', { id: 'google-invited', name: 'Invited', email: invited.email })
    ;(await socialSignIn(client, a, 'google')).response.assertHeader('location', '/login')

    server.signInAs('google', { id: 'google-owner-a', name: 'A Owner', email: a.owner.email })
    ;(await socialSignIn(client, a, 'google')).response.assertHeader('location', '/app')
    await a.run(async () => {
      const owner = await User.findOrFail(a.owner.id)
      owner.status = 'deactivated'
      await owner.save()
    })
    ;(await socialSignIn(client, a, 'google')).response.assertHeader('location', '/login')
  })

  test('a callback whose state does not match the cookie is refused', async ({ client }) => {
    const t = await makeTenant()
    server.signInAs('google', { id: 'google-csrf', name: 'Owner', email: t.owner.email })
    const { response } = await socialSignIn(client, t, 'google', (q) => q.set('state', 'forged-state-value'))
    response.assertHeader('location', '/login')
    response.assertFlashMessage('error', 'The sign-in request expired or was not started here. Please try again.')

    const noCookie = await client
      .get('/auth/google/callback?code=abc&state=whatever')
      .header('host', t.host)
      .redirects(0)
    noCookie.assertHeader('location', '/login')
  })

  test('a cancelled sign-in at the provider is reported', async ({ client }) => {
    const t = await makeTenant()
    server.signInAs('google', { id: 'google-deny', name: 'Owner', email: t.owner.email })
    server.denyNext()
    const { response } = await socialSignIn(client, t, 'google')
    response.assertHeader('location', '/login')
    response.assertFlashMessage('error', 'Sign-in was cancelled at the provider.')
  })

  test('Microsoft: the user principal name matches an active user; PKCE and the tenant path are used', async ({ client, assert }) => {
    const t = await makeTenant()
    server.signInAs('microsoft', {
      id: 'b2c5a3f0-0000-4000-8000-000000000001',
      name: 'Test Owner',
      email: t.owner.email,
      userPrincipalName: t.owner.email.toUpperCase(),
    })
    const { authorize, response } = await socialSignIn(client, t, 'microsoft')
    assert.equal(authorize.pathname, '/organizations/oauth2/v2.0/authorize')
    assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256')
    assert.equal(authorize.searchParams.get('redirect_uri'), `http://${t.host}/auth/microsoft/callback`)
    response.assertHeader('location', '/app')
    const identity = await SocialIdentity.forTenant(t.tenant.id).where('provider', 'microsoft').firstOrFail()
    assert.equal(identity.providerUserId, 'b2c5a3f0-0000-4000-8000-000000000001')
    const token = server.log.filter((r) => r.path === '/organizations/oauth2/v2.0/token').pop()!
    assert.isString(token.params.code_verifier)
  })

  test('Microsoft: an admin-set "mail" alone does not match an account (nOAuth)', async ({ client, assert }) => {
    const t = await makeTenant()
    server.signInAs('microsoft', {
      id: 'b2c5a3f0-0000-4000-8000-000000000002',
      name: 'Attacker',
      email: 'attacker@evil.example',
      userPrincipalName: 'attacker@evil.example',
      mail: t.owner.email,
    })
    const { response } = await socialSignIn(client, t, 'microsoft')
    response.assertHeader('location', '/login')
    assert.isNull(await SocialIdentity.forTenant(t.tenant.id).first())
  })

  test('Microsoft: a guest account (#EXT#) is not a verified address', async ({ client }) => {
    const t = await makeTenant()
    server.signInAs('microsoft', {
      id: 'b2c5a3f0-0000-4000-8000-000000000003',
      name: 'Guest',
      email: t.owner.email,
      userPrincipalName: `${t.owner.email.replace('@', '_')}#EXT#@contoso.onmicrosoft.com`,
    })
    const { response } = await socialSignIn(client, t, 'microsoft')
    response.assertHeader('location', '/login')
    response.assertFlashMessage('error', 'The provider did not confirm your email address, so we cannot match it to an account.')
  })

  test('Microsoft: an email claim vouched for by xms_edov matches', async ({ client }) => {
    const t = await makeTenant()
    server.signInAs('microsoft', {
      id: 'b2c5a3f0-0000-4000-8000-000000000004',
      name: 'Owner',
      email: t.owner.email,
      userPrincipalName: `owner_ext#EXT#@contoso.onmicrosoft.com`,
      emailDomainOwnerVerified: true,
    })
    ;(await socialSignIn(client, t, 'microsoft')).response.assertHeader('location', '/app')
  })
})
