import { test } from '@japa/runner'
import User from '#models/user'
import AuditLog from '#models/audit_log'
import { makeTenant, type TestTenant } from '#tests/helpers/tenants'
import { tokenFor } from '#tests/helpers/api'
import type { ApiClient } from '@japa/api-client'

const PAGE = '/app/settings/tokens'

function create(client: ApiClient, t: TestTenant, user: User, form: Record<string, unknown>) {
  return client.post(PAGE).header('host', t.host).loginAs(user).form(form).withCsrfToken().redirects(0)
}

/** The token secret shown on the page after a create (the flash lasts one request) */
function secretOn(html: string) {
  return /id="kernel-tokens-secret"[^>]*value="(cf_[^"]+)"/.exec(html)?.[1] ?? null
}

test.group('Settings → API tokens: access', () => {
  test('signed out, the page and its actions send to the sign-in page', async ({ client }) => {
    const t = await makeTenant()
    const page = await client.get(PAGE).header('host', t.host).redirects(0)
    page.assertStatus(302)
    page.assertHeader('location', `/login?next=${encodeURIComponent(PAGE)}`)
    const post = await client.post(PAGE).header('host', t.host).form({ name: 'x', 'scopes[]': '*' }).withCsrfToken().redirects(0)
    post.assertStatus(302)
    post.assertHeader('location', `/login?next=${encodeURIComponent(PAGE)}`)
  })

  test('a viewer (no kernel.tokens.manage) gets 403 on every route', async ({ client, assert }) => {
    const t = await makeTenant()
    const viewer = await t.user('viewer')
    const token = await User.accessTokens.create(viewer, ['*'], { name: 'old' })
    const page = await client.get(PAGE).header('host', t.host).loginAs(viewer)
    page.assertStatus(403)
    const post = await create(client, t, viewer, { name: 'x', scopes: ['kernel.dashboard.view'] })
    post.assertStatus(403)
    const revoke = await client
      .delete(`${PAGE}/${token.identifier}`)
      .header('host', t.host)
      .loginAs(viewer)
      .withCsrfToken()
      .redirects(0)
    revoke.assertStatus(403)
    assert.lengthOf(await User.accessTokens.all(viewer), 1)
  })

  test('a session of another tenant does not open the page', async ({ client }) => {
    const a = await makeTenant()
    const b = await makeTenant()
    const response = await client.get(PAGE).header('host', b.host).loginAs(a.owner).redirects(0)
    response.assertStatus(302)
  })
})

test.group('Settings → API tokens: create, list, revoke', () => {
  test('lists only the scopes the user holds, grouped by plugin', async ({ client, assert }) => {
    const t = await makeTenant()
    const staff = await t.user('staff')
    const page = await client.get(PAGE).header('host', t.host).loginAs(staff)
    page.assertStatus(200)
    const html = page.text()
    assert.include(html, 'id="kernel-tokens-form"')
    assert.include(html, 'data-plugin="kernel"')
    assert.include(html, 'data-plugin="sample"')
    assert.include(html, 'value="kernel.users.view"')
    assert.include(html, 'value="sample.*"')
    assert.notInclude(html, 'value="kernel.users.manage"')
    assert.notInclude(html, 'value="kernel.*"')
    assert.notInclude(html, 'value="*"')

    const owner = (await client.get(PAGE).header('host', t.host).loginAs(t.owner)).text()
    assert.include(owner, 'value="*"')
    assert.include(owner, 'value="kernel.*"')
  })

  test('creates a token, shows its secret exactly once, and the secret works on the API', async ({ client, assert }) => {
    const t = await makeTenant()
    const staff = await t.user('staff')
    const response = await create(client, t, staff, {
      name: 'CI export',
      scopes: ['kernel.users.view', 'sample.*'],
      expires_in_days: '30',
    })
    response.assertStatus(302)
    response.assertHeader('location', PAGE)
    response.assertFlashMessage('success', 'Token created.')

    const page = await client.get(PAGE).header('host', t.host).loginAs(staff).withFlashMessages(response.flashMessages())
    page.assertStatus(200)
    const secret = secretOn(page.text())
    assert.exists(secret)
    assert.match(secret!, /^cf_/)
    assert.include(page.text(), 'CI export')

    const again = await client.get(PAGE).header('host', t.host).loginAs(staff)
    assert.isNull(secretOn(again.text()))
    assert.include(again.text(), 'CI export')
    assert.notInclude(again.text(), secret!)

    const me = await client.get('/api/v1/me').header('host', t.host).bearerToken(secret!)
    me.assertStatus(200)
    assert.deepEqual(me.body().data.token.scopes, ['kernel.users.view', 'sample.*'])
    const expires = Date.parse(me.body().data.token.expires_at)
    assert.closeTo(expires - Date.now(), 30 * 86400_000, 120_000)

    const log = await AuditLog.forTenant(t.tenant.id).where('action', 'token.created').firstOrFail()
    assert.equal(log.actorId, staff.id)
    assert.deepInclude(log.after!, { name: 'CI export', scopes: ['kernel.users.view', 'sample.*'] })
    assert.notInclude(JSON.stringify(log.after), secret!)
  })

  test('refuses scopes the user does not hold, unknown scopes and missing fields, with field errors', async ({ client, assert }) => {
    const t = await makeTenant()
    const staff = await t.user('staff')
    const notHeld = await create(client, t, staff, { name: 'Too much', scopes: ['kernel.users.manage'] })
    notHeld.assertStatus(302)
    notHeld.assertHeader('location', PAGE)
    notHeld.assertFlashMessage('errorsBag', { scopes: 'Your role does not allow “kernel.users.manage”.' })
    notHeld.assertFlashMessage('name', 'Too much')

    const wildcard = await create(client, t, staff, { name: 'All', scopes: ['*'] })
    wildcard.assertFlashMessage('errorsBag', { scopes: 'Your role does not allow “*”.' })

    const unknown = await create(client, t, staff, { name: 'Typo', scopes: ['kernel.userz.view'] })
    unknown.assertFlashMessage('errorsBag', { scopes: '“kernel.userz.view” is not a known scope.' })

    const empty = await create(client, t, staff, { name: '' })
    empty.assertStatus(302)
    const page = await client.get(PAGE).header('host', t.host).loginAs(staff).withFlashMessages(empty.flashMessages())
    assert.include(page.text(), 'id="name-error"')
    assert.include(page.text(), 'id="scopes-error"')

    assert.lengthOf(await User.accessTokens.all(staff), 0)
  })

  test('revokes an own token; the API then refuses it', async ({ client, assert }) => {
    const t = await makeTenant()
    const secret = await tokenFor(t.owner, ['*'])
    const [token] = await User.accessTokens.all(t.owner)
    ;(await client.get('/api/v1/me').header('host', t.host).bearerToken(secret)).assertStatus(200)

    const response = await client
      .delete(`${PAGE}/${token.identifier}`)
      .header('host', t.host)
      .loginAs(t.owner)
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(302)
    response.assertHeader('location', PAGE)
    assert.lengthOf(await User.accessTokens.all(t.owner), 0)
    ;(await client.get('/api/v1/me').header('host', t.host).bearerToken(secret)).assertStatus(401)
    const log = await AuditLog.forTenant(t.tenant.id).where('action', 'token.revoked').firstOrFail()
    assert.equal(log.subjectId, String(token.identifier))
    assert.equal(log.actorId, t.owner.id)
  })

  test('an HTMX revoke answers the list fragment with a toast', async ({ client, assert }) => {
    const t = await makeTenant()
    await tokenFor(t.owner, ['kernel.*'])
    await tokenFor(t.owner, ['*'])
    const [first, second] = await User.accessTokens.all(t.owner)
    const response = await client
      .delete(`${PAGE}/${first.identifier}`)
      .header('host', t.host)
      .header('hx-request', 'true')
      .header('hx-request-type', 'partial')
      .loginAs(t.owner)
      .withCsrfToken()
    response.assertStatus(200)
    const html = response.text()
    assert.match(html.trim(), /^<section class="card" id="kernel-tokens-list"/)
    assert.include(html, 'hx-swap-oob')
    assert.notInclude(html, `id="kernel-tokens-row-${first.identifier}"`)
    assert.include(html, `id="kernel-tokens-row-${second.identifier}"`)
  })

  test('another user\u2019s token, or one of another tenant, answers 404 and stays', async ({ client, assert }) => {
    const a = await makeTenant()
    const b = await makeTenant()
    const admin = await a.user('admin')
    await tokenFor(a.owner)
    await tokenFor(b.owner)
    const [ownerToken] = await User.accessTokens.all(a.owner)
    const [foreignToken] = await User.accessTokens.all(b.owner)
    for (const id of [ownerToken.identifier, foreignToken.identifier, 999999]) {
      const response = await client.delete(`${PAGE}/${id}`).header('host', a.host).loginAs(admin).withCsrfToken().redirects(0)
      response.assertStatus(404)
    }
    assert.lengthOf(await User.accessTokens.all(a.owner), 1)
    assert.lengthOf(await User.accessTokens.all(b.owner), 1)
  })
})
