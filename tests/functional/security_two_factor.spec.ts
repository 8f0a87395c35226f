import { test } from '@japa/runner'
import type { ApiClient, ApiResponse } from '@japa/api-client'
import AuditLog from '#models/audit_log'
import User from '#models/user'
import UserTwoFactor from '#models/user_two_factor'
import UserRecoveryCode from '#models/user_recovery_code'
import { issueToken } from '#services/user_token_service'
import {
  confirmTotp,
  setRequiredRoles,
  startTotpEnrolment,
  totpCode,
  twoFactorClock,
  twoFactorStatus,
  verifyTotp,
} from '#services/two_factor_service'
import limiter from '@adonisjs/limiter/services/main'
import { makeTenant as makeBareTenant, PASSWORD, type TestTenant } from '#tests/helpers/tenants'
import { tokenFor } from '#tests/helpers/api'

/* A fixed clock: codes are computed for known moments, steps apart */
const T0 = Date.UTC(2026, 0, 5, 9, 0, 0)
const STEP = 30_000
const realNow = twoFactorClock.now
const at = (steps: number) => () => T0 + steps * STEP

/*
| Tenant ids come back when the test database is recreated while Redis keeps limiter keys: each
| tenant starts from clean sign-in counts for 127.0.0.1, or an earlier run's failures leak in.
*/
async function makeTenant() {
  const t = await makeBareTenant()
  await Promise.all([
    limiter.use({ requests: 20, duration: '15 mins', blockDuration: '30 mins' }).delete(`login_ip_${t.tenant.id}_127.0.0.1`),
    limiter.use({ requests: 5, duration: '15 mins', blockDuration: '15 mins' }).delete(`login_account_${t.tenant.id}_passkey:127.0.0.1`),
  ])
  return t
}

/** Turns TOTP on for a user at T0 (step 0 used); returns the secret and the recovery codes */
async function enableTotp(t: TestTenant, user: User) {
  twoFactorClock.now = at(0)
  return t.run(async () => {
    const { secret } = await startTotpEnrolment(user, t.tenant)
    const codes = await confirmTotp(user, totpCode(secret))
    return { secret, codes }
  })
}

function passwordLogin(client: ApiClient, t: TestTenant, user: User, next?: string) {
  return client
    .post('/login')
    .header('host', t.host)
    .form({ email: user.email, password: PASSWORD, ...(next ? { next } : {}) })
    .withCsrfToken()
    .redirects(0)
}

function secondStep(client: ApiClient, t: TestTenant, after: ApiResponse, form: Record<string, string>) {
  return client
    .post('/login/two-factor')
    .header('host', t.host)
    .withSession(after.session())
    .form(form)
    .withCsrfToken()
    .redirects(0)
}

function signedIn(response: ApiResponse, user: User) {
  return Object.values(response.session()).includes(user.id)
}

async function lastAudit(t: TestTenant, action: string) {
  return AuditLog.forTenant(t.tenant.id).where('action', action).orderBy('id', 'desc').first()
}

test.group('Two-factor authentication: TOTP', (group) => {
  group.each.teardown(() => {
    twoFactorClock.now = realNow
  })

  test('enrolment shows a QR code, refuses a wrong code and turns on with the right one', async ({ client, assert }) => {
    const t = await makeTenant()
    const staff = await t.user('staff')
    const page = await client.get('/app/account/security/totp').header('host', t.host).loginAs(staff)
    page.assertStatus(200)
    assert.include(page.text(), 'src="data:image/svg+xml;base64,')
    const enrolment = await UserTwoFactor.forTenant(t.tenant.id).where('user_id', staff.id).firstOrFail()
    const secret = enrolment.totpPendingSecret!
    assert.include(page.text(), secret)
    assert.isNull(enrolment.totpSecret)

    const wrong = await client
      .post('/app/account/security/totp')
      .header('host', t.host)
      .loginAs(staff)
      .form({ code: '000000' === totpCode(secret) ? '111111' : '000000' })
      .withCsrfToken()
      .redirects(0)
    wrong.assertHeader('location', '/app/account/security/totp')
    wrong.assertFlashMessage('errorsBag', { code: 'That code is not valid. Check the time on your device and try the current code.' })
    assert.isFalse((await t.run(() => twoFactorStatus(staff))).totpEnabled)

    const right = await client
      .post('/app/account/security/totp')
      .header('host', t.host)
      .loginAs(staff)
      .form({ code: totpCode(secret) })
      .withCsrfToken()
      .redirects(0)
    right.assertHeader('location', '/app/account/security')
    const codes = right.flashMessage('recoveryCodes') as unknown as string[]
    assert.lengthOf(codes, 10)
    assert.lengthOf(new Set(codes), 10)
    for (const code of codes) assert.match(code, /^[a-z2-9]{5}-[a-z2-9]{5}$/)
    const stored = await UserRecoveryCode.forTenant(t.tenant.id).where('user_id', staff.id)
    assert.lengthOf(stored, 10)
    for (const row of stored) assert.notInclude(codes.map((c) => c.replace('-', '')), row.codeHash)

    const shown = await client.get('/app/account/security').header('host', t.host).loginAs(staff).withFlashMessages(right.flashMessages())
    for (const code of codes) assert.include(shown.text(), code)
    const again = await client.get('/app/account/security').header('host', t.host).loginAs(staff)
    assert.notInclude(again.text(), codes[0])
    assert.include(again.text(), '10 unused recovery codes left.')

    const raw = await UserTwoFactor.forTenant(t.tenant.id).where('user_id', staff.id).firstOrFail()
    assert.equal(raw.totpSecret, secret)
    const enabled = await lastAudit(t, 'two_factor.totp_enabled')
    assert.equal(enabled?.subjectId, String(staff.id))
  })

  test('the secret is stored encrypted', async ({ assert }) => {
    const t = await makeTenant()
    const { secret } = await enableTotp(t, t.owner)
    const row = await UserTwoFactor.forTenant(t.tenant.id).where('user_id', t.owner.id).firstOrFail()
    const stored = await UserTwoFactor.forTenant(t.tenant.id).where('id', row.id).pojo<{ totp_secret: string }>().firstOrFail()
    assert.notEqual(stored.totp_secret, secret)
    assert.notInclude(stored.totp_secret, secret)
  })

  test('a password alone does not sign in; the code from the app does', async ({ client, assert }) => {
    const t = await makeTenant()
    const { secret } = await enableTotp(t, t.owner)
    twoFactorClock.now = at(2)
    const first = await passwordLogin(client, t, t.owner, '/app/settings')
    first.assertHeader('location', '/login/two-factor')
    assert.isFalse(signedIn(first, t.owner))

    const page = await client.get('/login/two-factor').header('host', t.host).withSession(first.session())
    page.assertStatus(200)
    assert.include(page.text(), 'name="code"')
    assert.include(page.text(), 'Use a recovery code')
    const blocked = await client.get('/app').header('host', t.host).withSession(first.session()).redirects(0)
    blocked.assertStatus(302)
    assert.match(blocked.header('location')!, /^\/login/)

    const done = await secondStep(client, t, first, { method: 'totp', code: totpCode(secret) })
    done.assertHeader('location', '/app/settings')
    assert.isTrue(signedIn(done, t.owner))
    const login = await lastAudit(t, 'auth.login')
    assert.deepEqual(login?.after, { via: 'password', secondFactor: 'totp' })
  })

  test('a code is never accepted twice, not even within its window', async ({ client, assert }) => {
    const t = await makeTenant()
    const { secret } = await enableTotp(t, t.owner)
    twoFactorClock.now = at(3)
    const code = totpCode(secret)
    const first = await passwordLogin(client, t, t.owner)
    ;(await secondStep(client, t, first, { method: 'totp', code })).assertHeader('location', '/app')

    /* still the same 30 s step, and one step later (inside the ±1 tolerance) */
    for (const now of [at(3), at(4)]) {
      twoFactorClock.now = now
      const again = await passwordLogin(client, t, t.owner)
      const replay = await secondStep(client, t, again, { method: 'totp', code })
      replay.assertHeader('location', '/login/two-factor')
      replay.assertFlashMessage('errorsBag', { code: 'That code is not valid. Check the time on your device and try the current code.' })
      assert.isFalse(signedIn(replay, t.owner))
    }
    /* once a step is used, an older code still inside the window is refused as well */
    twoFactorClock.now = at(6)
    const fresh = await passwordLogin(client, t, t.owner)
    ;(await secondStep(client, t, fresh, { method: 'totp', code: totpCode(secret) })).assertHeader('location', '/app')
    const older = await passwordLogin(client, t, t.owner)
    ;(await secondStep(client, t, older, { method: 'totp', code: totpCode(secret, { timestamp: T0 + 5 * STEP }) })).assertHeader(
      'location',
      '/login/two-factor'
    )
    const failures = await AuditLog.forTenant(t.tenant.id).where('action', 'auth.two_factor_failed')
    assert.lengthOf(failures, 3)
  })

  test('a code one step off is accepted, two steps off is not', async ({ client }) => {
    const t = await makeTenant()
    const { secret } = await enableTotp(t, t.owner)
    twoFactorClock.now = at(10)
    const late = await passwordLogin(client, t, t.owner)
    ;(await secondStep(client, t, late, { method: 'totp', code: totpCode(secret, { timestamp: T0 + 8 * STEP }) })).assertHeader(
      'location',
      '/login/two-factor'
    )
    ;(await secondStep(client, t, late, { method: 'totp', code: totpCode(secret, { timestamp: T0 + 9 * STEP }) })).assertHeader('location', '/app')
  })

  test('of two simultaneous checks of one code only one succeeds', async ({ assert }) => {
    const t = await makeTenant()
    const { secret } = await enableTotp(t, t.owner)
    twoFactorClock.now = at(7)
    const code = totpCode(secret)
    const results = await t.run(() => Promise.all([verifyTotp(t.owner, code), verifyTotp(t.owner, code), verifyTotp(t.owner, code)]))
    assert.deepEqual(results.filter(Boolean), [true])
  })

  test('a password reset leads to the second step, not into the app', async ({ client, assert }) => {
    const t = await makeTenant()
    const { secret } = await enableTotp(t, t.owner)
    twoFactorClock.now = at(2)
    const token = await t.run(() => issueToken(t.owner, 'reset', { hours: 1 }))
    const reset = await client
      .post(`/reset-password/${token}`)
      .header('host', t.host)
      .form({ password: 'a-brand-new-passphrase', password_confirmation: 'a-brand-new-passphrase' })
      .withCsrfToken()
      .redirects(0)
    assert.isFalse(signedIn(reset, t.owner))
    const login = await client.get('/login').header('host', t.host).withSession(reset.session()).redirects(0)
    login.assertHeader('location', '/login/two-factor')
    const done = await secondStep(client, t, reset, { method: 'totp', code: totpCode(secret) })
    done.assertHeader('location', '/app')
    assert.deepEqual((await lastAudit(t, 'auth.login'))?.after, { via: 'password_reset', secondFactor: 'totp' })
  })

  test('a recovery code works once', async ({ client, assert }) => {
    const t = await makeTenant()
    const { codes } = await enableTotp(t, t.owner)
    const first = await passwordLogin(client, t, t.owner)
    const used = await secondStep(client, t, first, { method: 'recovery', code: codes[3].toUpperCase() })
    used.assertHeader('location', '/app')
    assert.isTrue(signedIn(used, t.owner))
    assert.equal(used.flashMessage('success'), 'You signed in with a recovery code. 9 codes are left.')
    const audit = await lastAudit(t, 'two_factor.recovery_code_used')
    assert.deepEqual(audit?.after, { remaining: 9 })

    const again = await passwordLogin(client, t, t.owner)
    const reused = await secondStep(client, t, again, { method: 'recovery', code: codes[3] })
    reused.assertHeader('location', '/login/two-factor')
    reused.assertFlashMessage('errorsBag', { recoveryCode: 'That recovery code is not valid or has been used.' })
    assert.isFalse(signedIn(reused, t.owner))
    assert.equal((await t.run(() => twoFactorStatus(t.owner))).recoveryCodesLeft, 9)
  })

  test('regenerated recovery codes replace the old ones', async ({ client, assert }) => {
    const t = await makeTenant()
    const { codes } = await enableTotp(t, t.owner)
    const response = await client.post('/app/account/security/recovery-codes').header('host', t.host).loginAs(t.owner).withCsrfToken().redirects(0)
    response.assertHeader('location', '/app/account/security')
    const fresh = response.flashMessage('recoveryCodes') as unknown as string[]
    assert.lengthOf(fresh, 10)
    assert.notDeepEqual(fresh, codes)
    assert.exists(await lastAudit(t, 'two_factor.recovery_codes_regenerated'))

    const old = await passwordLogin(client, t, t.owner)
    ;(await secondStep(client, t, old, { method: 'recovery', code: codes[0] })).assertHeader('location', '/login/two-factor')
    const next = await passwordLogin(client, t, t.owner)
    ;(await secondStep(client, t, next, { method: 'recovery', code: fresh[0] })).assertHeader('location', '/app')
  })

  test('recovery codes cannot be made without a second factor', async ({ client, assert }) => {
    const t = await makeTenant()
    const response = await client.post('/app/account/security/recovery-codes').header('host', t.host).loginAs(t.owner).withCsrfToken().redirects(0)
    response.assertHeader('location', '/app/account/security')
    assert.isUndefined(response.flashMessage('recoveryCodes'))
    assert.equal(await UserRecoveryCode.forTenant(t.tenant.id).where('user_id', t.owner.id).count('* as n').then((r) => Number(r[0].$extras.n)), 0)
  })

  test('wrong codes are throttled like wrong passwords', async ({ client, assert }) => {
    const t = await makeTenant()
    const { secret } = await enableTotp(t, t.owner)
    twoFactorClock.now = at(20)
    const pending = await passwordLogin(client, t, t.owner)
    const wrong = totpCode(secret, { timestamp: T0 + 40 * STEP })
    for (let i = 0; i < 5; i++) await secondStep(client, t, pending, { method: 'totp', code: wrong })
    const refused = await secondStep(client, t, pending, { method: 'totp', code: totpCode(secret) })
    refused.assertHeader('location', '/login/two-factor')
    const errors = refused.flashMessage('errorsBag') as { code: string }
    assert.match(errors.code, /^Too many attempts\. Try again in \d+ seconds\.$/)
    assert.isFalse(signedIn(refused, t.owner))
  })

  test('signing in with the password again does not reset the count of wrong codes', async ({ client, assert }) => {
    const t = await makeTenant()
    const { secret } = await enableTotp(t, t.owner)
    twoFactorClock.now = at(20)
    const wrong = totpCode(secret, { timestamp: T0 + 40 * STEP })
    const first = await passwordLogin(client, t, t.owner)
    for (let i = 0; i < 4; i++) await secondStep(client, t, first, { method: 'totp', code: wrong })
    const again = await passwordLogin(client, t, t.owner)
    again.assertHeader('location', '/login/two-factor')
    await secondStep(client, t, again, { method: 'totp', code: wrong })
    const refused = await secondStep(client, t, again, { method: 'totp', code: totpCode(secret) })
    assert.match((refused.flashMessage('errorsBag') as { code: string }).code, /^Too many attempts/)
  })

  test('the pending sign-in expires', async ({ client, assert }) => {
    const t = await makeTenant()
    const { secret } = await enableTotp(t, t.owner)
    twoFactorClock.now = at(2)
    const first = await passwordLogin(client, t, t.owner)
    const session = first.session()
    session.twoFactorPending = { ...session.twoFactorPending, expiresAt: Date.now() - 1000 }
    const late = await client
      .post('/login/two-factor')
      .header('host', t.host)
      .withSession(session)
      .form({ method: 'totp', code: totpCode(secret) })
      .withCsrfToken()
      .redirects(0)
    late.assertHeader('location', '/login')
    late.assertFlashMessage('error', 'Your sign-in timed out. Enter your email and password again.')
    assert.isFalse(signedIn(late, t.owner))
    const page = await client.get('/login/two-factor').header('host', t.host).redirects(0)
    page.assertHeader('location', '/login')
  })

  test('a pending sign-in of one tenant is worthless on another', async ({ client, assert }) => {
    const a = await makeTenant()
    const b = await makeTenant()
    const { secret } = await enableTotp(a, a.owner)
    twoFactorClock.now = at(2)
    const first = await passwordLogin(client, a, a.owner)
    const elsewhere = await client
      .post('/login/two-factor')
      .header('host', b.host)
      .withSession(first.session())
      .form({ method: 'totp', code: totpCode(secret) })
      .withCsrfToken()
      .redirects(0)
    elsewhere.assertHeader('location', '/login')
    assert.isFalse(signedIn(elsewhere, a.owner))
  })

  test('turning TOTP off needs the password or a current code, and is audited', async ({ client, assert }) => {
    const t = await makeTenant()
    const { secret } = await enableTotp(t, t.owner)
    twoFactorClock.now = at(4)
    const post = (form: Record<string, string>) =>
      client.post('/app/account/security/totp/disable').header('host', t.host).loginAs(t.owner).form(form).withCsrfToken().redirects(0)

    const refused = await post({ password: 'not-the-password' })
    refused.assertFlashMessage('errorsBag', { password: 'Enter your correct password or a current code.' })
    assert.isTrue((await t.run(() => twoFactorStatus(t.owner))).totpEnabled)
    ;(await post({ code: totpCode(secret) })).assertFlashMessage('success', 'The authenticator app is turned off.')
    const status = await t.run(() => twoFactorStatus(t.owner))
    assert.isFalse(status.totpEnabled)
    assert.equal(status.recoveryCodesLeft, 0)
    const audit = await lastAudit(t, 'two_factor.totp_disabled')
    assert.deepEqual(audit?.after, { via: 'code' })
    ;(await passwordLogin(client, t, t.owner)).assertHeader('location', '/app')

    await enableTotp(t, t.owner)
    ;(await post({ password: PASSWORD })).assertFlashMessage('success', 'The authenticator app is turned off.')
    assert.deepEqual((await lastAudit(t, 'two_factor.totp_disabled'))?.after, { via: 'password' })
  })

  test('GET /api/v1/me tells whether two-factor authentication is on', async ({ client, assert }) => {
    const t = await makeTenant()
    const token = await tokenFor(t.owner)
    const before = await client.get('/api/v1/me').header('host', t.host).bearerToken(token)
    assert.isFalse(before.body().data.user.twoFactorEnabled)
    await enableTotp(t, t.owner)
    const after = await client.get('/api/v1/me').header('host', t.host).bearerToken(token)
    assert.isTrue(after.body().data.user.twoFactorEnabled)
  })
})

test.group('Two-factor authentication: required for roles', (group) => {
  group.each.teardown(() => {
    twoFactorClock.now = realNow
  })

  test('a member of a role that requires it is sent to enrolment before anything else', async ({ client, assert }) => {
    const t = await makeTenant()
    const staff = await t.user('staff')
    await t.run(() => setRequiredRoles(t.tenant, ['staff']))

    for (const path of ['/app', '/app/files', '/app/settings/tokens']) {
      const response = await client.get(path).header('host', t.host).loginAs(staff).redirects(0)
      response.assertStatus(302)
      response.assertHeader('location', '/app/account/security')
    }
    const htmx = await client.get('/app').header('host', t.host).header('hx-request', 'true').loginAs(staff).redirects(0)
    htmx.assertHeader('hx-redirect', '/app/account/security')
    const post = await client.post('/app/settings/tokens').header('host', t.host).loginAs(staff).form({ name: 'x' }).withCsrfToken().redirects(0)
    post.assertHeader('location', '/app/account/security')

    const page = await client.get('/app/account/security').header('host', t.host).loginAs(staff)
    page.assertStatus(200)
    assert.include(page.text(), 'Your role requires two-factor authentication.')
    ;(await client.get('/app/account/security/totp').header('host', t.host).loginAs(staff)).assertStatus(200)
    ;(await client.post('/logout').header('host', t.host).loginAs(staff).withCsrfToken().redirects(0)).assertHeader('location', '/login')

    /* roles not listed are left alone */
    ;(await client.get('/app').header('host', t.host).loginAs(await t.user('viewer')).redirects(0)).assertStatus(200)

    await enableTotp(t, staff)
    ;(await client.get('/app').header('host', t.host).loginAs(staff).redirects(0)).assertStatus(200)
  })

  test('the last second factor cannot be removed while the role requires one', async ({ client, assert }) => {
    const t = await makeTenant()
    const staff = await t.user('staff')
    await enableTotp(t, staff)
    await t.run(() => setRequiredRoles(t.tenant, ['staff']))
    const response = await client
      .post('/app/account/security/totp/disable')
      .header('host', t.host)
      .loginAs(staff)
      .form({ password: PASSWORD })
      .withCsrfToken()
      .redirects(0)
    response.assertFlashMessage('error', 'Your role requires two-factor authentication, so your last second factor cannot be removed.')
    assert.isTrue((await t.run(() => twoFactorStatus(staff))).totpEnabled)
  })

  test('owners choose the roles on the security settings page; the change is audited', async ({ client, assert }) => {
    const t = await makeTenant()
    const page = await client.get('/app/settings/security').header('host', t.host).loginAs(t.owner)
    page.assertStatus(200)
    assert.include(page.text(), 'id="kernel-security-two-factor"')
    assert.include(page.text(), 'data-section-id="kernel.security"')

    const saved = await client
      .post('/app/settings/security/two-factor')
      .header('host', t.host)
      .loginAs(t.owner)
      .form({ roles: ['staff', 'admin'] })
      .withCsrfToken()
      .redirects(0)
    saved.assertHeader('location', '/app/settings/security')
    const html = (await client.get('/app/settings/security').header('host', t.host).loginAs(t.owner)).text()
    assert.match(html, /value="staff" checked/)
    assert.match(html, /value="admin" checked/)
    assert.notMatch(html, /value="owner" checked/)
    const audit = await lastAudit(t, 'tenant.two_factor_roles_updated')
    assert.deepEqual(audit?.before, { twoFactorRoles: [] })
    assert.deepEqual(audit?.after, { twoFactorRoles: ['admin', 'staff'] })

    const bad = await client
      .post('/app/settings/security/two-factor')
      .header('host', t.host)
      .loginAs(t.owner)
      .form({ roles: ['root'] })
      .withCsrfToken()
      .redirects(0)
    bad.assertHeader('location', '/app/settings/security')
    assert.exists(bad.flashMessage('inputErrorsBag'))
  })

  test('admins see the settings but only owners change them', async ({ client, assert }) => {
    const t = await makeTenant()
    const admin = await t.user('admin')
    const page = await client.get('/app/settings/security').header('host', t.host).loginAs(admin)
    page.assertStatus(200)
    assert.include(page.text(), 'Only owners can change this setting.')
    const post = await client
      .post('/app/settings/security/two-factor')
      .header('host', t.host)
      .loginAs(admin)
      .form({ roles: ['staff'] })
      .withCsrfToken()
      .redirects(0)
    post.assertStatus(403)
    assert.deepEqual(await t.run(async () => (await import('#services/two_factor_service')).requiredRoles(t.tenant.id)), [])
  })
})

test.group('Two-factor authentication: admin reset', (group) => {
  group.each.teardown(() => {
    twoFactorClock.now = realNow
  })

  test('an admin resets a colleague who lost their device; the reset is audited', async ({ client, assert }) => {
    const t = await makeTenant()
    const admin = await t.user('admin')
    const staff = await t.user('staff')
    await enableTotp(t, staff)
    const table = await client.get('/app/settings/users').header('host', t.host).loginAs(admin)
    assert.include(table.text(), `/app/settings/users/${staff.id}/two-factor/reset`)
    assert.include(table.text(), 'data-testid="two-factor-badge"')

    const response = await client
      .post(`/app/settings/users/${staff.id}/two-factor/reset`)
      .header('host', t.host)
      .loginAs(admin)
      .withCsrfToken()
      .redirects(0)
    response.assertHeader('location', '/app/settings/users')
    response.assertFlashMessage('success', `Two-factor authentication of ${staff.email} reset.`)
    const status = await t.run(() => twoFactorStatus(staff))
    assert.deepEqual(status, { totpEnabled: false, passkeys: 0, recoveryCodesLeft: 0, enabled: false })
    const audit = await lastAudit(t, 'two_factor.reset')
    assert.equal(audit?.actorId, admin.id)
    assert.deepEqual(audit?.before, { totpEnabled: true, passkeys: 0 })
    ;(await passwordLogin(client, t, staff)).assertHeader('location', '/app')
  })

  test('from the team table over HTMX the reset answers the refreshed table with a toast', async ({ client, assert }) => {
    const t = await makeTenant()
    const staff = await t.user('staff')
    await enableTotp(t, staff)
    const response = await client
      .post(`/app/settings/users/${staff.id}/two-factor/reset`)
      .header('host', t.host)
      .header('hx-request', 'true')
      .loginAs(t.owner)
      .withCsrfToken()
    response.assertStatus(200)
    assert.include(response.text(), 'id="kernel-users-table"')
    assert.include(response.text(), `Two-factor authentication of ${staff.email} reset.`)
    assert.notInclude(response.text(), `/app/settings/users/${staff.id}/two-factor/reset`)
    assert.isFalse((await t.run(() => twoFactorStatus(staff))).enabled)
  })

  test('staff cannot reset, admins cannot reset owners, other tenants answer 404', async ({ client, assert }) => {
    const t = await makeTenant()
    const other = await makeTenant()
    const staff = await t.user('staff')
    const admin = await t.user('admin')
    await enableTotp(t, t.owner)
    const reset = (id: number, host: string, user?: User) => {
      const request = client.post(`/app/settings/users/${id}/two-factor/reset`).header('host', host).withCsrfToken().redirects(0)
      return user ? request.loginAs(user) : request
    }
    ;(await reset(t.owner.id, t.host, staff)).assertStatus(403)
    ;(await reset(t.owner.id, t.host, admin)).assertStatus(403)
    ;(await reset(t.owner.id, other.host, other.owner)).assertStatus(404)
    const anonymous = await reset(t.owner.id, t.host)
    anonymous.assertStatus(302)
    assert.match(anonymous.header('location')!, /^\/login/)
    assert.isTrue((await t.run(() => twoFactorStatus(t.owner))).totpEnabled)
  })
})

test.group('Two-factor authentication: route authorization', () => {
  const ACCOUNT_GETS = ['/app/account/security', '/app/account/security/totp']
  const ACCOUNT_POSTS = [
    '/app/account/security/totp',
    '/app/account/security/totp/disable',
    '/app/account/security/recovery-codes',
    '/app/account/security/passkeys/options',
    '/app/account/security/passkeys',
    '/app/account/security/passkeys/1/delete',
  ]

  test('account security routes need a signed-in user of this tenant', async ({ client, assert }) => {
    const t = await makeTenant()
    const other = await makeTenant()
    for (const path of ACCOUNT_GETS) {
      const anonymous = await client.get(path).header('host', t.host).redirects(0)
      anonymous.assertStatus(302)
      assert.match(anonymous.header('location')!, /^\/login\?next=/)
      const foreign = await client.get(path).header('host', t.host).loginAs(other.owner).redirects(0)
      assert.match(foreign.header('location')!, /^\/login\?next=/)
    }
    for (const path of ACCOUNT_POSTS) {
      const anonymous = await client.post(path).header('host', t.host).withCsrfToken().redirects(0)
      assert.match(anonymous.header('location')!, /^\/login\?next=/, path)
      const foreign = await client.post(path).header('host', t.host).loginAs(other.owner).withCsrfToken().redirects(0)
      assert.match(foreign.header('location')!, /^\/login\?next=/, path)
    }
    /* every role has its own security page */
    for (const role of ['owner', 'admin', 'accountant', 'staff', 'viewer'] as const) {
      ;(await client.get('/app/account/security').header('host', t.host).loginAs(await t.user(role))).assertStatus(200)
    }
  })

  test('the security settings page needs the settings permissions', async ({ client, assert }) => {
    const t = await makeTenant()
    const other = await makeTenant()
    for (const role of ['staff', 'viewer'] as const) {
      ;(await client.get('/app/settings/security').header('host', t.host).loginAs(await t.user(role))).assertStatus(403)
    }
    ;(await client.get('/app/settings/security').header('host', t.host).loginAs(await t.user('accountant'))).assertStatus(200)
    const accountantPost = await client
      .post('/app/settings/security/two-factor')
      .header('host', t.host)
      .loginAs(await t.user('accountant'))
      .form({ roles: ['staff'] })
      .withCsrfToken()
      .redirects(0)
    accountantPost.assertStatus(403)
    const anonymous = await client.get('/app/settings/security').header('host', t.host).redirects(0)
    assert.match(anonymous.header('location')!, /^\/login\?next=/)
    const foreign = await client
      .post('/app/settings/security/two-factor')
      .header('host', t.host)
      .loginAs(other.owner)
      .form({ roles: ['staff'] })
      .withCsrfToken()
      .redirects(0)
    assert.match(foreign.header('location')!, /^\/login\?next=/)
    assert.deepEqual(await t.run(async () => (await import('#services/two_factor_service')).requiredRoles(t.tenant.id)), [])
  })

  test('the second step and passkey sign-in routes are for signed-out visitors of a tenant', async ({ client, assert }) => {
    const t = await makeTenant()
    for (const [method, path] of [
      ['get', '/login/two-factor'],
      ['post', '/login/two-factor'],
      ['post', '/login/passkey/options'],
    ] as const) {
      const signedInUser = await client[method](path).header('host', t.host).loginAs(t.owner).withCsrfToken().redirects(0)
      signedInUser.assertHeader('location', '/app')
    }
    /* no pending sign-in: nothing to verify */
    const noPending = await client.post('/login/two-factor/passkey/options').header('host', t.host).withCsrfToken()
    noPending.assertStatus(401)
    const platform = await client.get('/login/two-factor').header('host', 'localhost').redirects(0)
    assert.oneOf(platform.status(), [302, 404])
  })

  test('another user\'s or another tenant\'s passkey cannot be removed', async ({ client, assert }) => {
    const t = await makeTenant()
    const other = await makeTenant()
    const { default: UserPasskey } = await import('#models/user_passkey')
    const passkey = await UserPasskey.create({
      tenantId: t.tenant.id,
      userId: t.owner.id,
      name: 'Laptop',
      credentialId: 'cred-' + t.tenant.id,
      publicKey: 'AA',
      counter: 0,
      transports: [],
      deviceType: 'multiDevice',
      backedUp: true,
    })
    const staff = await t.user('staff')
    ;(await client.post(`/app/account/security/passkeys/${passkey.id}/delete`).header('host', t.host).loginAs(staff).withCsrfToken().redirects(0)).assertStatus(404)
    ;(await client.post(`/app/account/security/passkeys/${passkey.id}/delete`).header('host', other.host).loginAs(other.owner).withCsrfToken().redirects(0)).assertStatus(404)
    assert.exists(await UserPasskey.forTenant(t.tenant.id).where('id', passkey.id).first())
    const own = await client.post(`/app/account/security/passkeys/${passkey.id}/delete`).header('host', t.host).loginAs(t.owner).withCsrfToken().redirects(0)
    own.assertFlashMessage('success', 'Passkey Laptop removed.')
    assert.isNull(await UserPasskey.forTenant(t.tenant.id).where('id', passkey.id).first())
    assert.deepEqual((await lastAudit(t, 'two_factor.passkey_removed'))?.before, { passkeyId: passkey.id, name: 'Laptop' })
  })

  test('passkey options name the tenant host as relying party; a forged answer is refused', async ({ client, assert }) => {
    const t = await makeTenant()
    const options = await client.post('/app/account/security/passkeys/options').header('host', `${t.host}:3333`).loginAs(t.owner).withCsrfToken()
    options.assertStatus(200)
    assert.equal(options.body().rp.id, t.host)
    assert.equal(options.body().authenticatorSelection.residentKey, 'required')
    assert.isString(options.body().challenge)

    const login = await client.post('/login/passkey/options').header('host', t.host).withCsrfToken()
    login.assertStatus(200)
    assert.equal(login.body().rpId, t.host)
    assert.equal(login.body().userVerification, 'required')
    const forged = await client
      .post('/login/passkey')
      .header('host', t.host)
      .withSession(login.session())
      .json({ response: { id: 'nope', rawId: 'nope', type: 'public-key', response: {}, clientExtensionResults: {} } })
      .withCsrfToken()
    forged.assertStatus(422)
    assert.equal(forged.body().message, 'The passkey was not accepted. Try again.')
    assert.deepEqual((await lastAudit(t, 'auth.login_failed'))?.after, { via: 'passkey' })

    for (let i = 0; i < 4; i++) {
      ;(await client.post('/login/passkey').header('host', t.host).json({ response: { id: 'nope' } }).withCsrfToken()).assertStatus(422)
    }
    const throttled = await client.post('/login/passkey').header('host', t.host).json({ response: { id: 'nope' } }).withCsrfToken()
    throttled.assertStatus(429)
    assert.match(throttled.body().message, /^Too many attempts\. Try again in \d+ seconds\.$/)

    const unnamed = await client.post('/app/account/security/passkeys').header('host', t.host).loginAs(t.owner).json({ name: ' ' }).withCsrfToken()
    unnamed.assertStatus(422)
    assert.equal(unnamed.body().field, 'name')
  })
})
