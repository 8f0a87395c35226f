/*
| Tracked sessions: recorded at sign-in, listed on /app/account/sessions, revoked by the user or
| an administrator (signed out on the next request), idle and absolute timeouts, the tenant's
| settings page, and the same over /api/v1/me/sessions.
*/
import { test } from '@japa/runner'
import { randomBytes } from 'node:crypto'
import { DateTime } from 'luxon'
import TrackedSession from '#models/tracked_session'
import TenantAccountPolicy from '#models/tenant_account_policy'
import AuditLog from '#models/audit_log'
import type User from '#models/user'
import { hashKey, SESSION_KEY } from '#services/session_tracking'
import { makeTenant, PASSWORD, type TestTenant } from '#tests/helpers/tenants'
import { assertProblem, tokenFor } from '#tests/helpers/api'

const FIREFOX = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0'
const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1'

/** A tracked session row and the session data that carries its key, as a browser would have */
async function browserSession(user: User, overrides: Partial<Pick<TrackedSession, 'deviceLabel' | 'ipAddress' | 'createdAt' | 'lastSeenAt'>> = {}) {
  const key = randomBytes(16).toString('hex')
  const now = DateTime.utc()
  const row = await TrackedSession.create({
    tenantId: user.tenantId,
    userId: user.id,
    keyHash: hashKey(key),
    userAgent: FIREFOX,
    deviceLabel: 'Firefox · Windows',
    ipAddress: '203.0.113.7',
    createdAt: now,
    lastSeenAt: now,
    ...overrides,
  })
  return { row, data: { auth_web: user.id, [SESSION_KEY]: key } }
}

async function reload(t: TestTenant, id: number) {
  return TrackedSession.forTenant(t.tenant.id).where('id', id).firstOrFail()
}

test.group('Sessions: recording and listing', () => {
  test('signing in records the session with a readable device, the IP and the key in the session', async ({ client, assert }) => {
    const t = await makeTenant()
    const response = await client
      .post('/login')
      .header('host', t.host)
      .header('user-agent', FIREFOX)
      .form({ email: t.owner.email, password: PASSWORD })
      .withCsrfToken()
      .redirects(0)
    response.assertHeader('location', '/app')
    const rows = await TrackedSession.forTenant(t.tenant.id).where('user_id', t.owner.id)
    assert.lengthOf(rows, 1)
    assert.equal(rows[0].deviceLabel, 'Firefox · Windows')
    assert.equal(rows[0].userAgent, FIREFOX)
    assert.equal(rows[0].ipAddress, '127.0.0.1')
    assert.isNull(rows[0].revokedAt)
    const key = response.session()[SESSION_KEY] as string
    assert.equal(hashKey(key), rows[0].keyHash)
    assert.notInclude(JSON.stringify(rows[0].serialize()), key)
  })

  test('a sign-in removes the user\'s rows ended or abandoned more than 30 days ago', async ({ client, assert }) => {
    const t = await makeTenant()
    const month = DateTime.utc().minus({ days: 31 })
    const abandoned = await browserSession(t.owner, { createdAt: month, lastSeenAt: month })
    const ended = await browserSession(t.owner)
    ended.row.merge({ revokedAt: month, revokedReason: 'revoked' })
    await ended.row.save()
    const recent = await browserSession(t.owner, { lastSeenAt: DateTime.utc().minus({ days: 3 }) })
    const colleague = await browserSession(await t.user('staff'), { createdAt: month, lastSeenAt: month })
    await client.post('/login').header('host', t.host).form({ email: t.owner.email, password: PASSWORD }).withCsrfToken().redirects(0)
    const left = (await TrackedSession.forTenant(t.tenant.id).select('id')).map((row) => row.id)
    assert.notInclude(left, abandoned.row.id)
    assert.notInclude(left, ended.row.id)
    assert.include(left, recent.row.id)
    assert.include(left, colleague.row.id)
    assert.lengthOf(left, 3)
  })

  test('the sessions page lists live sessions with device, IP and "this device"; ended and other users\' are not shown', async ({ client, assert }) => {
    const t = await makeTenant()
    const mine = await browserSession(t.owner)
    await browserSession(t.owner, { deviceLabel: 'Safari · iPhone', ipAddress: '198.51.100.23' })
    const ended = await browserSession(t.owner, { deviceLabel: 'Edge · Windows' })
    ended.row.revokedAt = DateTime.utc()
    await ended.row.save()
    await browserSession(await t.user('staff'), { deviceLabel: 'Opera · Linux' })

    const page = await client.get('/app/account/sessions').header('host', t.host).withSession(mine.data)
    page.assertStatus(200)
    const html = page.text()
    assert.include(html, 'Safari · iPhone')
    assert.include(html, '198.51.100.23')
    assert.include(html, '203.0.113.7')
    assert.notInclude(html, 'Edge · Windows')
    assert.notInclude(html, 'Opera · Linux')
    assert.match(html, new RegExp(`data-session-id="${mine.row.id}" data-current="true"`))
    assert.include(html, 'This device')
    assert.include(html, 'Sign out all other sessions')
    assert.include(html, '<a href="/app/account/sessions" class="nav-link active" aria-current="page">Sessions</a>')
    assert.include(html, 'Sessions end after 2 hours of inactivity and 7 days after signing in')
  })

  test('a session signed in without tracking (e.g. before the feature existed) is adopted on its next request', async ({ client, assert }) => {
    const t = await makeTenant()
    const page = await client.get('/app').header('host', t.host).header('user-agent', IPHONE).loginAs(t.owner)
    page.assertStatus(200)
    const rows = await TrackedSession.forTenant(t.tenant.id).where('user_id', t.owner.id)
    assert.lengthOf(rows, 1)
    assert.equal(rows[0].deviceLabel, 'Safari · iPhone')
    assert.equal(hashKey(page.session()[SESSION_KEY] as string), rows[0].keyHash)
  })

  test('last seen is written at most once a minute', async ({ client, assert }) => {
    const t = await makeTenant()
    const recent = DateTime.utc().minus({ seconds: 30 }).startOf('second')
    const a = await browserSession(t.owner, { lastSeenAt: recent })
    ;(await client.get('/app').header('host', t.host).withSession(a.data)).assertStatus(200)
    assert.equal((await reload(t, a.row.id)).lastSeenAt.toMillis(), recent.toMillis())

    const old = DateTime.utc().minus({ minutes: 5 })
    const b = await browserSession(t.owner, { lastSeenAt: old })
    ;(await client.get('/app').header('host', t.host).withSession(b.data)).assertStatus(200)
    const touched = await reload(t, b.row.id)
    assert.isAbove(touched.lastSeenAt.toMillis(), DateTime.utc().minus({ seconds: 10 }).toMillis())
  })
})

test.group('Sessions: revocation', () => {
  test('a revoked session is signed out on its very next request', async ({ client, assert }) => {
    const t = await makeTenant()
    const mine = await browserSession(t.owner)
    const other = await browserSession(t.owner, { deviceLabel: 'Safari · iPhone' })
    const revoke = await client
      .post(`/app/account/sessions/${other.row.id}/revoke`)
      .header('host', t.host)
      .withSession(mine.data)
      .withCsrfToken()
      .redirects(0)
    revoke.assertStatus(302)
    revoke.assertHeader('location', '/app/account/sessions')
    revoke.assertFlashMessage('success', 'The session was signed out.')
    const row = await reload(t, other.row.id)
    assert.equal(row.revokedReason, 'revoked')

    const next = await client.get('/app').header('host', t.host).withSession(other.data).redirects(0)
    next.assertStatus(302)
    next.assertHeader('location', '/login?next=%2Fapp')
    next.assertFlashMessage('error', 'Your session was signed out. Please sign in again.')
    assert.notProperty(next.session(), 'auth_web')

    const htmx = await client.get('/app').header('host', t.host).header('hx-request', 'true').withSession(other.data).redirects(0)
    htmx.assertStatus(401)
    htmx.assertHeader('hx-redirect', '/login?next=%2Fapp')

    /* the revoking session goes on */
    ;(await client.get('/app').header('host', t.host).withSession(mine.data)).assertStatus(200)
    assert.exists(await AuditLog.forTenant(t.tenant.id).where('action', 'session.revoked').first())
  })

  test('"sign out all other sessions" keeps the current one', async ({ client, assert }) => {
    const t = await makeTenant()
    const mine = await browserSession(t.owner)
    const others = [await browserSession(t.owner), await browserSession(t.owner)]
    const response = await client
      .post('/app/account/sessions/revoke-others')
      .header('host', t.host)
      .withSession(mine.data)
      .withCsrfToken()
      .redirects(0)
    response.assertFlashMessage('success', '2 other sessions were signed out.')
    assert.isNull((await reload(t, mine.row.id)).revokedAt)
    for (const other of others) {
      assert.equal((await reload(t, other.row.id)).revokedReason, 'revoked_all')
      const next = await client.get('/app/account').header('host', t.host).withSession(other.data).redirects(0)
      next.assertStatus(302)
    }
    ;(await client.get('/app/account').header('host', t.host).withSession(mine.data)).assertStatus(200)
  })

  test("another user's session, or another tenant's, cannot be revoked (404)", async ({ client, assert }) => {
    const t = await makeTenant()
    const other = await makeTenant()
    const mine = await browserSession(t.owner)
    const colleague = await browserSession(await t.user('admin'))
    const foreign = await browserSession(other.owner)
    for (const target of [colleague, foreign]) {
      const response = await client
        .post(`/app/account/sessions/${target.row.id}/revoke`)
        .header('host', t.host)
        .withSession(mine.data)
        .withCsrfToken()
        .redirects(0)
      response.assertStatus(404)
    }
    assert.isNull((await TrackedSession.forTenant(t.tenant.id).where('id', colleague.row.id).firstOrFail()).revokedAt)
    assert.isNull((await TrackedSession.forTenant(other.tenant.id).where('id', foreign.row.id).firstOrFail()).revokedAt)
  })

  test('the account pages need a signed-in user of this tenant', async ({ client }) => {
    const t = await makeTenant()
    const other = await makeTenant()
    for (const path of ['/app/account', '/app/account/sessions']) {
      const anonymous = await client.get(path).header('host', t.host).redirects(0)
      anonymous.assertStatus(302)
      anonymous.assertHeader('location', `/login?next=${encodeURIComponent(path)}`)
      const foreign = await client.get(path).header('host', t.host).loginAs(other.owner).redirects(0)
      foreign.assertStatus(302)
    }
    const staff = await t.user('staff')
    for (const path of [
      '/app/account',
      '/app/account/password',
      '/app/account/sessions/revoke-others',
      '/app/account/sessions/1/revoke',
      `/app/settings/users/${staff.id}/sessions/revoke`,
      '/app/settings/sessions',
    ]) {
      const post = await client.post(path).header('host', t.host).withCsrfToken().redirects(0)
      post.assertStatus(302)
      post.assertHeader('location', `/login?next=${encodeURIComponent(path)}`)
      /* a session of another tenant is no session here */
      const foreign = await client.post(path).header('host', t.host).loginAs(other.owner).withCsrfToken().redirects(0)
      foreign.assertStatus(302)
    }
    /* a viewer has an account too */
    ;(await client.get('/app/account/sessions').header('host', t.host).loginAs(await t.user('viewer'))).assertStatus(200)
  })

  test('an administrator signs a member out everywhere from the team page; staff may not; other tenants 404', async ({ client, assert }) => {
    const t = await makeTenant()
    const other = await makeTenant()
    const staff = await t.user('staff')
    const sessions = [await browserSession(staff), await browserSession(staff)]
    const post = (user: User, id: number, htmx = false) => {
      const request = client
        .post(`/app/settings/users/${id}/sessions/revoke`)
        .header('host', t.host)
        .loginAs(user)
        .withCsrfToken()
        .redirects(0)
      if (htmx) request.header('hx-request', 'true').header('hx-request-type', 'partial')
      return request
    }
    ;(await post(await t.user('accountant'), staff.id)).assertStatus(403)
    ;(await post(await t.user('staff'), staff.id)).assertStatus(403)
    assert.isNull((await reload(t, sessions[0].row.id)).revokedAt)

    const fragment = await post(await t.user('admin'), staff.id, true)
    fragment.assertStatus(200)
    assert.include(fragment.text(), 'id="kernel-users-table"')
    assert.include(fragment.text(), `${staff.email} was signed out of every session.`)
    for (const session of sessions) {
      assert.equal((await reload(t, session.row.id)).revokedReason, 'admin')
      ;(await client.get('/app').header('host', t.host).withSession(session.data).redirects(0)).assertStatus(302)
    }
    const audit = await AuditLog.forTenant(t.tenant.id).where('action', 'session.revoked_all').firstOrFail()
    assert.equal(audit.subjectId, String(staff.id))

    ;(await post(t.owner, other.owner.id)).assertStatus(404)

    const page = await client.get('/app/settings/users').header('host', t.host).loginAs(t.owner)
    assert.include(page.text(), `action="/app/settings/users/${staff.id}/sessions/revoke"`)
  })
})

test.group('Sessions: timeouts', () => {
  test('a session idle longer than the tenant limit is signed out', async ({ client, assert }) => {
    const t = await makeTenant()
    await TenantAccountPolicy.create({ tenantId: t.tenant.id, idleTimeoutMinutes: 30, absoluteTimeoutMinutes: 24 * 60, passwordMinLength: 12 })
    const fresh = await browserSession(t.owner, { lastSeenAt: DateTime.utc().minus({ minutes: 29 }) })
    const idle = await browserSession(t.owner, { lastSeenAt: DateTime.utc().minus({ minutes: 31 }) })
    ;(await client.get('/app').header('host', t.host).withSession(fresh.data)).assertStatus(200)
    const response = await client.get('/app').header('host', t.host).withSession(idle.data).redirects(0)
    response.assertStatus(302)
    response.assertFlashMessage('error', 'Your session has expired. Please sign in again.')
    assert.equal((await reload(t, idle.row.id)).revokedReason, 'idle_timeout')
    /* the list leaves out what has timed out even before its next request */
    const stale = await browserSession(t.owner, { deviceLabel: 'Stale · Linux', lastSeenAt: DateTime.utc().minus({ hours: 2 }) })
    const page = await client.get('/app/account/sessions').header('host', t.host).withSession(fresh.data)
    assert.notInclude(page.text(), 'Stale · Linux')
    assert.isNull((await reload(t, stale.row.id)).revokedAt)
  })

  test('a session older than the absolute limit is signed out even while active', async ({ client, assert }) => {
    const t = await makeTenant()
    await TenantAccountPolicy.create({ tenantId: t.tenant.id, idleTimeoutMinutes: 120, absoluteTimeoutMinutes: 8 * 60, passwordMinLength: 12 })
    const old = await browserSession(t.owner, { createdAt: DateTime.utc().minus({ hours: 8, minutes: 1 }), lastSeenAt: DateTime.utc() })
    const response = await client.get('/app/account').header('host', t.host).withSession(old.data).redirects(0)
    response.assertStatus(302)
    assert.equal((await reload(t, old.row.id)).revokedReason, 'absolute_timeout')
  })

  test('the defaults apply without settings: 2 hours idle, 7 days absolute', async ({ client, assert }) => {
    const t = await makeTenant()
    const week = await browserSession(t.owner, { createdAt: DateTime.utc().minus({ days: 6, hours: 23 }) })
    ;(await client.get('/app').header('host', t.host).withSession(week.data)).assertStatus(200)
    const over = await browserSession(t.owner, { createdAt: DateTime.utc().minus({ days: 7, minutes: 1 }) })
    ;(await client.get('/app').header('host', t.host).withSession(over.data).redirects(0)).assertStatus(302)
    const idle = await browserSession(t.owner, { lastSeenAt: DateTime.utc().minus({ hours: 2, minutes: 1 }) })
    ;(await client.get('/app').header('host', t.host).withSession(idle.data).redirects(0)).assertStatus(302)
    assert.equal((await reload(t, idle.row.id)).revokedReason, 'idle_timeout')
  })

  test('signing out ends the tracked session', async ({ client, assert }) => {
    const t = await makeTenant()
    const mine = await browserSession(t.owner)
    const out = await client.post('/logout').header('host', t.host).withSession(mine.data).withCsrfToken().redirects(0)
    out.assertStatus(302)
    /* the next request of that browser carries the key without a signed-in user */
    await client.get('/login').header('host', t.host).withSession({ [SESSION_KEY]: mine.data[SESSION_KEY] })
    assert.equal((await reload(t, mine.row.id)).revokedReason, 'signed_out')
  })
})

test.group('Sessions: settings page', () => {
  test('owners set the timeouts and the password minimum; bad values are field errors', async ({ client, assert }) => {
    const t = await makeTenant()
    const page = await client.get('/app/settings/sessions').header('host', t.host).loginAs(t.owner)
    page.assertStatus(200)
    assert.include(page.text(), 'name="idleTimeoutMinutes" type="number" value="120"')
    assert.include(page.text(), 'name="absoluteTimeoutHours" type="number" value="168"')
    assert.include(page.text(), 'data-section-id="kernel.sessions"')

    const save = (form: Record<string, string>) =>
      client.post('/app/settings/sessions').header('host', t.host).loginAs(t.owner).form(form).withCsrfToken().redirects(0)
    const saved = await save({ idleTimeoutMinutes: '45', absoluteTimeoutHours: '24', passwordMinLength: '16' })
    saved.assertFlashMessage('success', 'The session and password settings were saved.')
    const row = await TenantAccountPolicy.forTenant(t.tenant.id).firstOrFail()
    assert.deepInclude(row.serialize(), { idleTimeoutMinutes: 45, absoluteTimeoutMinutes: 1440, passwordMinLength: 16 })
    assert.exists(await AuditLog.forTenant(t.tenant.id).where('action', 'tenant.account_policy_updated').first())

    const low = await save({ idleTimeoutMinutes: '1', absoluteTimeoutHours: '24', passwordMinLength: '8' })
    const errors = low.flashMessage('inputErrorsBag') as Record<string, string[]>
    assert.match(errors.idleTimeoutMinutes[0], /between 5 and 1440/)
    assert.match(errors.passwordMinLength[0], /between 12 and 64/)
    const crossed = await save({ idleTimeoutMinutes: '600', absoluteTimeoutHours: '2', passwordMinLength: '12' })
    assert.deepEqual(crossed.flashMessage('errorsBag'), {
      absoluteTimeoutHours: 'The maximum session length must be at least as long as the inactivity timeout.',
    })
    assert.equal((await TenantAccountPolicy.forTenant(t.tenant.id).firstOrFail()).idleTimeoutMinutes, 45)
  })

  test('staff cannot see it, viewers of settings cannot change it, other tenants are separate', async ({ client, assert }) => {
    const t = await makeTenant()
    const other = await makeTenant()
    ;(await client.get('/app/settings/sessions').header('host', t.host).loginAs(await t.user('staff'))).assertStatus(403)
    ;(await client.get('/app/settings/sessions').header('host', t.host).redirects(0)).assertStatus(302)
    const accountant = await t.user('accountant')
    const view = await client.get('/app/settings/sessions').header('host', t.host).loginAs(accountant)
    if (view.status() === 200) {
      const refused = await client
        .post('/app/settings/sessions')
        .header('host', t.host)
        .loginAs(accountant)
        .form({ idleTimeoutMinutes: '10', absoluteTimeoutHours: '10', passwordMinLength: '12' })
        .withCsrfToken()
        .redirects(0)
      refused.assertStatus(403)
    }
    await client
      .post('/app/settings/sessions')
      .header('host', other.host)
      .loginAs(other.owner)
      .form({ idleTimeoutMinutes: '10', absoluteTimeoutHours: '10', passwordMinLength: '20' })
      .withCsrfToken()
    assert.isNull(await TenantAccountPolicy.forTenant(t.tenant.id).first())
  })
})

test.group('Sessions: API', () => {
  test('GET /api/v1/me/sessions lists the token owner\'s live sessions; DELETE revokes one', async ({ client, assert }) => {
    const t = await makeTenant()
    const token = await tokenFor(t.owner)
    const a = await browserSession(t.owner)
    const b = await browserSession(t.owner, { deviceLabel: 'Safari · iPhone' })
    await browserSession(await t.user('staff'))
    const list = await client.get('/api/v1/me/sessions').header('host', t.host).bearerToken(token)
    list.assertStatus(200)
    const ids = list.body().data.map((s: { id: number }) => s.id).sort()
    assert.deepEqual(ids, [a.row.id, b.row.id].sort())
    assert.deepInclude(list.body().data.find((s: any) => s.id === b.row.id), { device: 'Safari · iPhone', ipAddress: '203.0.113.7' })

    const gone = await client.delete(`/api/v1/me/sessions/${b.row.id}`).header('host', t.host).bearerToken(token)
    gone.assertStatus(204)
    assert.equal((await reload(t, b.row.id)).revokedReason, 'revoked')

    const staffSession = await TrackedSession.forTenant(t.tenant.id).whereNot('user_id', t.owner.id).firstOrFail()
    assertProblem(assert, await client.delete(`/api/v1/me/sessions/${staffSession.id}`).header('host', t.host).bearerToken(token), 404, 'E_NOT_FOUND')
    assertProblem(assert, await client.get('/api/v1/me/sessions').header('host', t.host), 401, 'E_UNAUTHORIZED')
    const other = await makeTenant()
    assertProblem(assert, await client.get('/api/v1/me/sessions').header('host', other.host).bearerToken(token), 401, 'E_UNAUTHORIZED')
    /* a token scoped to some permissions cannot manage the account itself */
    const scoped = await tokenFor(t.owner, ['kernel.users.view'])
    assertProblem(assert, await client.get('/api/v1/me/sessions').header('host', t.host).bearerToken(scoped), 403, 'E_FORBIDDEN')
    assertProblem(assert, await client.delete(`/api/v1/me/sessions/${a.row.id}`).header('host', t.host).bearerToken(scoped), 403, 'E_FORBIDDEN')
    const password = await client.put('/api/v1/me/password').header('host', t.host).bearerToken(scoped).json({ current_password: PASSWORD, password: 'plum orbit canyon whistle' })
    assertProblem(assert, password, 403, 'E_FORBIDDEN')
    assert.isNull((await reload(t, a.row.id)).revokedAt)
  })

  test('the OpenAPI document describes the session and password endpoints', async ({ client, assert }) => {
    const t = await makeTenant()
    const doc = (await client.get('/api/v1/openapi.json').header('host', t.host)).body()
    assert.property(doc.paths, '/me/sessions')
    assert.property(doc.paths['/me/sessions/{id}'], 'delete')
    assert.property(doc.paths['/me/password'], 'put')
    assert.property(doc.components.schemas, 'BrowserSession')
  })
})
