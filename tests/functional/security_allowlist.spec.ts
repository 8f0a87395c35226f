import { test } from '@japa/runner'
import http from 'node:http'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import app from '@adonisjs/core/services/app'
import AuditLog from '#models/audit_log'
import { makeTenant } from '#tests/helpers/tenants'
import { assertProblem, tokenFor } from '#tests/helpers/api'
import { allowlistOf, replaceAllowlist, normaliseCidr, parseAllowlist } from '#services/ip_allowlist_service'

const run = promisify(execFile)

/* Every address the test client can appear as: it connects over loopback, IPv4 or IPv6 */
const LOOPBACK = [
  { cidr: '127.0.0.0/8', label: null },
  { cidr: '::1/128', label: null },
]

/**
 * A raw request from a chosen local address: .env.test trusts 127.0.0.2 as a proxy, so its
 * X-Forwarded-For counts; from 127.0.0.1 the header must be ignored.
 */
function rawGet(path: string, options: { host: string; from: '127.0.0.1' | '127.0.0.2'; forwardedFor?: string; token?: string }) {
  return new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
    const headers: Record<string, string> = { host: options.host }
    if (options.forwardedFor) headers['x-forwarded-for'] = options.forwardedFor
    if (options.token) headers.authorization = `Bearer ${options.token}`
    const req = http.request(
      { host: '127.0.0.1', port: Number(process.env.PORT), path, localAddress: options.from, headers },
      (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (chunk) => (body += chunk))
        res.on('end', () => resolve({ status: res.statusCode!, type: String(res.headers['content-type'] ?? ''), body }))
      }
    )
    req.on('error', reject)
    req.end()
  })
}

test.group('IP allowlists: parsing', () => {
  test('normalises IPv4 and IPv6 ranges and single addresses', ({ assert }) => {
    assert.deepEqual(normaliseCidr('203.0.113.0/24'), { cidr: '203.0.113.0/24' })
    assert.deepEqual(normaliseCidr(' 198.51.100.7 '), { cidr: '198.51.100.7/32' })
    assert.deepEqual(normaliseCidr('2001:DB8::/32'), { cidr: '2001:db8::/32' })
    assert.deepEqual(normaliseCidr('2001:db8::1'), { cidr: '2001:db8::1/128' })
    assert.deepEqual(normaliseCidr('::ffff:192.0.2.0/120'), { cidr: '192.0.2.0/24' })
  })

  test('refuses what is no range, and host bits with a suggestion', ({ assert }) => {
    for (const bad of ['10.0.0/8', '10.0.0.1/33', '2001:db8::/129', 'office', '0x0a.0.0.1', '10.1', '1.2.3.4/']) {
      assert.deepEqual(normaliseCidr(bad), { reason: 'invalid' }, bad)
    }
    assert.deepEqual(normaliseCidr('203.0.113.7/24'), { reason: 'host_bits', suggestion: '203.0.113.0/24' })
    const parsed = parseAllowlist('203.0.113.0/24 # office\n\nnope\n203.0.113.0/24\n2001:db8::/48')
    assert.deepEqual(parsed.entries, [
      { cidr: '203.0.113.0/24', label: 'office' },
      { cidr: '2001:db8::/48', label: null },
    ])
    assert.deepEqual(parsed.problems, [{ line: 3, input: 'nope', reason: 'invalid' }])
  })
})

test.group('IP allowlists: admin UI', () => {
  test('a request from outside the UI list gets the 403 page, sign-in page included', async ({ client, assert }) => {
    const t = await makeTenant()
    await replaceAllowlist(t.tenant.id, 'ui', [{ cidr: '203.0.113.0/24', label: null }])
    const login = await client.get('/login').header('host', t.host)
    login.assertStatus(403)
    assert.include(login.text(), 'Access from this address is not allowed')
    assert.match(login.header('content-type') ?? '', /text\/html/)
    const page = await client.get('/app').header('host', t.host).loginAs(t.owner)
    page.assertStatus(403)
    const post = await client.post('/login').header('host', t.host).form({ email: t.owner.email, password: 'x' }).withCsrfToken()
    post.assertStatus(403)

    /* Health probes and clients' public pages are not part of the admin UI */
    ;(await client.get('/health/live').header('host', t.host)).assertStatus(200)
    ;(await client.get('/p/sample/hello').header('host', t.host)).assertStatus(200)

    await replaceAllowlist(t.tenant.id, 'ui', [{ cidr: '203.0.113.0/24', label: null }, ...LOOPBACK])
    ;(await client.get('/login').header('host', t.host)).assertStatus(200)
    ;(await client.get('/app').header('host', t.host).loginAs(t.owner)).assertStatus(200)
  })

  test('honours X-Forwarded-For from a trusted proxy only (IPv4 and IPv6 ranges)', async ({ assert }) => {
    const t = await makeTenant()
    await replaceAllowlist(t.tenant.id, 'ui', [
      { cidr: '203.0.113.0/24', label: null },
      { cidr: '2001:db8:abcd::/48', label: null },
    ])
    const via = (from: '127.0.0.1' | '127.0.0.2', forwardedFor?: string) => rawGet('/login', { host: t.host, from, forwardedFor })
    assert.equal((await via('127.0.0.2', '203.0.113.45')).status, 200)
    assert.equal((await via('127.0.0.2', '2001:db8:abcd:12::7')).status, 200)
    assert.equal((await via('127.0.0.2', '198.51.100.1')).status, 403)
    assert.equal((await via('127.0.0.2', '2001:db8:abce::1')).status, 403)
    /* The client the proxy saw is the right-most untrusted address */
    assert.equal((await via('127.0.0.2', '203.0.113.45, 198.51.100.1')).status, 403)
    /* 127.0.0.1 is no trusted proxy: its header is ignored and its own address counts */
    assert.equal((await via('127.0.0.1', '203.0.113.45')).status, 403)
    assert.equal((await via('127.0.0.2')).status, 403)
  })
})

test.group('IP allowlists: API', () => {
  test('a token used from outside the API list gets 403 problem+json', async ({ client, assert }) => {
    const t = await makeTenant()
    const token = await tokenFor(t.owner)
    await replaceAllowlist(t.tenant.id, 'api', [{ cidr: '192.0.2.0/24', label: null }])
    const refused = await client.get('/api/v1/me').header('host', t.host).bearerToken(token)
    const body = assertProblem(assert, refused, 403, 'E_IP_NOT_ALLOWED')
    assert.include(body.detail ?? body.title, 'not allowed')

    /* The UI list is separate: the staff pages still open */
    ;(await client.get('/login').header('host', t.host)).assertStatus(200)

    await replaceAllowlist(t.tenant.id, 'api', LOOPBACK)
    ;(await client.get('/api/v1/me').header('host', t.host).bearerToken(token)).assertStatus(200)
  })

  test('API list through a trusted proxy, IPv4 and IPv6', async ({ assert }) => {
    const t = await makeTenant()
    const token = await tokenFor(t.owner)
    await replaceAllowlist(t.tenant.id, 'api', [
      { cidr: '192.0.2.0/28', label: null },
      { cidr: '2001:db8::/64', label: null },
    ])
    const via = (forwardedFor: string, from: '127.0.0.1' | '127.0.0.2' = '127.0.0.2') =>
      rawGet('/api/v1/me', { host: t.host, from, forwardedFor, token })
    assert.equal((await via('192.0.2.14')).status, 200)
    assert.equal((await via('2001:db8::beef')).status, 200)
    const outside = await via('192.0.2.16')
    assert.equal(outside.status, 403)
    assert.match(outside.type, /application\/problem\+json/)
    assert.equal(JSON.parse(outside.body).code, 'E_IP_NOT_ALLOWED')
    assert.equal((await via('2001:db8:0:1::1')).status, 403)
    assert.equal((await via('192.0.2.14', '127.0.0.1')).status, 403)
  })
})

/** Posts a settings form, then opens the page the way the browser follows the redirect */
async function postAndFollow(client: any, t: Awaited<ReturnType<typeof makeTenant>>, path: string, form: Record<string, unknown>) {
  const post = await client.post(path).header('host', t.host).loginAs(t.owner).form(form).withCsrfToken().redirects(0)
  post.assertStatus(302)
  post.assertHeader('location', '/app/settings/security/network')
  return client
    .get('/app/settings/security/network')
    .header('host', t.host)
    .loginAs(t.owner)
    .withSession(post.session())
    .withFlashMessages(post.flashMessages())
}

test.group('IP allowlists: settings page', () => {
  test('saves a valid list, normalised and audited', async ({ client, assert }) => {
    const t = await makeTenant()
    const response = await client
      .post('/app/settings/security/network/api')
      .header('host', t.host)
      .loginAs(t.owner)
      .form({ api_ranges: '203.0.113.0/24 # office\n2001:DB8::/32' })
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(302)
    response.assertHeader('location', '/app/settings/security/network')
    assert.deepEqual(await allowlistOf(t.tenant.id, 'api'), [
      { cidr: '203.0.113.0/24', label: 'office' },
      { cidr: '2001:db8::/32', label: null },
    ])
    const log = await AuditLog.forTenant(t.tenant.id).where('action', 'security.api_allowlist_updated').firstOrFail()
    assert.equal(log.actorId, t.owner.id)
    assert.deepEqual(log.before, { ranges: [] })
    assert.deepEqual(log.after, { ranges: ['203.0.113.0/24 # office', '2001:db8::/32'] })
    assert.isNotNull(log.ip)

    const page = await client.get('/app/settings/security/network').header('host', t.host).loginAs(t.owner)
    page.assertStatus(200)
    assert.include(page.text(), '203.0.113.0/24 # office')
  })

  test('shows field errors for bad ranges and keeps the stored list', async ({ client, assert }) => {
    const t = await makeTenant()
    await replaceAllowlist(t.tenant.id, 'api', [{ cidr: '192.0.2.0/24', label: null }])
    const response = await postAndFollow(client, t, '/app/settings/security/network/api', {
      api_ranges: '10.0.0.0/8\n10.0.0/33\n203.0.113.9/24',
    })
    response.assertStatus(200)
    const html = response.text()
    assert.include(html, 'Line 2: “10.0.0/33” is not an IPv4 or IPv6 address or CIDR range.')
    assert.include(html, 'did you mean 203.0.113.0/24?')
    assert.include(html, 'aria-invalid="true"')
    /* What the user typed comes back for correction */
    assert.include(html, '10.0.0/33')
    assert.deepEqual(await allowlistOf(t.tenant.id, 'api'), [{ cidr: '192.0.2.0/24', label: null }])
  })

  test('refuses a UI list that would lock the saver out, and explains why', async ({ client, assert }) => {
    const t = await makeTenant()
    const response = await postAndFollow(client, t, '/app/settings/security/network/ui', { ui_ranges: '198.51.100.0/24' })
    response.assertStatus(200)
    assert.match(response.text(), /Your current address (127\.0\.0\.1|::1|::ffff:127\.0\.0\.1) is not in this list/)
    assert.deepEqual(await allowlistOf(t.tenant.id, 'ui'), [])

    const saved = await client
      .post('/app/settings/security/network/ui')
      .header('host', t.host)
      .loginAs(t.owner)
      .form({ ui_ranges: '198.51.100.0/24\n127.0.0.0/8\n::1' })
      .withCsrfToken()
      .redirects(0)
    saved.assertStatus(302)
    assert.lengthOf(await allowlistOf(t.tenant.id, 'ui'), 3)
    /* An empty list allows everyone again */
    await client
      .post('/app/settings/security/network/ui')
      .header('host', t.host)
      .loginAs(t.owner)
      .form({ ui_ranges: '' })
      .withCsrfToken()
      .redirects(0)
    assert.deepEqual(await allowlistOf(t.tenant.id, 'ui'), [])
  })

  test('authorization: guests, roles without the permission, other tenants', async ({ client, assert }) => {
    const t = await makeTenant()
    const other = await makeTenant()
    const guest = await client.get('/app/settings/security/network').header('host', t.host).redirects(0)
    guest.assertStatus(302)
    assert.match(guest.header('location') ?? '', /^\/login/)
    ;(await client.get('/app/settings/security/network').header('host', t.host).loginAs(await t.user('staff'))).assertStatus(403)

    /* Accountants may look but not change */
    const accountant = await t.user('accountant')
    const view = await client.get('/app/settings/security/network').header('host', t.host).loginAs(accountant)
    view.assertStatus(200)
    assert.include(view.text(), 'disabled')
    for (const path of ['ui', 'api', 'limits']) {
      const denied = await client
        .post(`/app/settings/security/network/${path}`)
        .header('host', t.host)
        .loginAs(accountant)
        .form({ api_ranges: '192.0.2.0/24', ui_ranges: '', apiRateLimitPerToken: 5 })
        .withCsrfToken()
      denied.assertStatus(403)
    }
    /* A user of another tenant is not signed in here */
    const cross = await client
      .post('/app/settings/security/network/api')
      .header('host', t.host)
      .loginAs(other.owner)
      .form({ api_ranges: '192.0.2.0/24' })
      .withCsrfToken()
      .redirects(0)
    cross.assertStatus(302)
    assert.deepEqual(await allowlistOf(t.tenant.id, 'api'), [])
  })

  test('API rate limits: a tenant may only lower the installation limits', async ({ client, assert }) => {
    const t = await makeTenant()
    const tooHigh = await postAndFollow(client, t, '/app/settings/security/network/limits', {
      apiRateLimitPerToken: 1_000_000,
      apiRateLimitPerIp: '',
    })
    assert.match(tooHigh.text(), /id="apiRateLimitPerToken-error"/)
    const ok = await client
      .post('/app/settings/security/network/limits')
      .header('host', t.host)
      .loginAs(t.owner)
      .form({ apiRateLimitPerToken: 3, apiRateLimitPerIp: '' })
      .withCsrfToken()
      .redirects(0)
    ok.assertStatus(302)
    const log = await AuditLog.forTenant(t.tenant.id).where('action', 'tenant.admin_policy_updated').firstOrFail()
    assert.deepEqual(log.after, { apiLimitPerCredential: 3 })
  })
})

test.group('IP allowlists: CLI way back in', () => {
  test('tenant:allowlist:clear empties the chosen lists and is audited', async ({ assert }) => {
    const t = await makeTenant()
    await replaceAllowlist(t.tenant.id, 'ui', [{ cidr: '203.0.113.0/24', label: null }])
    await replaceAllowlist(t.tenant.id, 'api', [{ cidr: '203.0.113.0/24', label: null }])
    const cli = (args: string[]) =>
      run(process.execPath, ['ace', 'tenant:allowlist:clear', '--no-ansi', ...args], { cwd: app.makePath(), env: { ...process.env }, timeout: 60_000 })

    const ui = await cli([t.tenant.slug, '--ui'])
    assert.include(ui.stdout, 'admin UI allowlist cleared')
    assert.deepEqual(await allowlistOf(t.tenant.id, 'ui'), [])
    assert.lengthOf(await allowlistOf(t.tenant.id, 'api'), 1)
    const log = await AuditLog.forTenant(t.tenant.id).where('action', 'security.ui_allowlist_updated').orderBy('id', 'desc').firstOrFail()
    assert.equal(log.actorType, 'cli')
    assert.equal(log.actorLabel, 'tenant:allowlist:clear')

    await cli([t.tenant.slug])
    assert.deepEqual(await allowlistOf(t.tenant.id, 'api'), [])

    await assert.rejects(() => cli(['no-such-tenant']))
  })
})
