import { test } from '@japa/runner'
import mail from '@adonisjs/mail/services/main'
import { DateTime } from 'luxon'
import hash from '@adonisjs/core/services/hash'
import User from '#models/user'
import UserToken from '#models/user_token'
import AuditLog from '#models/audit_log'
import PasswordResetMail from '#mails/password_reset_mail'
import { hashToken } from '#services/user_token_service'
import { makeTenant, type TestTenant } from '#tests/helpers/tenants'
import type { ApiClient } from '@japa/api-client'

const NEW_PASSWORD = 'a-brand-new-passphrase'
const NEUTRAL = 'If this address has an account here, a link to reset the password is on its way. Check your inbox.'

function requestReset(client: ApiClient, t: TestTenant, email: string) {
  return client
    .post('/forgot-password')
    .header('host', t.host)
    .form({ email })
    .withCsrfToken()
    .redirects(0)
}

async function resetLinkFor(client: ApiClient, t: TestTenant) {
  const fake = mail.fake()
  await requestReset(client, t, t.owner.email)
  const sent = fake.mails.queued((m) => m instanceof PasswordResetMail) as PasswordResetMail[]
  return { url: sent[0].url, token: sent[0].url.split('/reset-password/')[1], sent }
}

function submitReset(client: ApiClient, t: TestTenant, token: string, password = NEW_PASSWORD, confirmation = password) {
  return client
    .post(`/reset-password/${token}`)
    .header('host', t.host)
    .header('referer', `http://${t.host}/reset-password/${token}`)
    .form({ password, password_confirmation: confirmation })
    .withCsrfToken()
    .redirects(0)
}

test.group('Password reset: asking for a link', (group) => {
  group.each.teardown(() => mail.restore())

  test('the form is shown on a tenant host and not on the platform host', async ({ client }) => {
    const t = await makeTenant({ name: 'Reset Corp' })
    const page = await client.get('/forgot-password').header('host', t.host)
    page.assertStatus(200)
    page.assertTextIncludes('Reset Corp')
    page.assertTextIncludes('name="email"')
    const platform = await client.get('/forgot-password').header('host', 'localhost')
    platform.assertStatus(404)
  })

  test('a known address gets a one-hour link by mail; the answer is the neutral one', async ({ client, assert }) => {
    const t = await makeTenant({ name: 'Reset Corp' })
    const fake = mail.fake()
    const response = await requestReset(client, t, t.owner.email.toUpperCase())
    response.assertStatus(302)
    response.assertHeader('location', '/forgot-password')
    response.assertFlashMessage('status', NEUTRAL)

    const sent = fake.mails.queued((m) => m instanceof PasswordResetMail) as PasswordResetMail[]
    assert.lengthOf(sent, 1)
    sent[0].message.assertTo(t.owner.email)
    sent[0].message.assertSubject('Reset your password for Reset Corp')
    assert.match(sent[0].url, new RegExp(`^http://${t.host}(:\\d+)?/reset-password/[A-Za-z0-9_-]{43}$`))
    await sent[0].buildWithContents()
    sent[0].message.assertHtmlIncludes(sent[0].url)

    const token = sent[0].url.split('/reset-password/')[1]
    const row = await UserToken.forTenant(t.tenant.id).where('token_hash', hashToken(token)).firstOrFail()
    assert.equal(row.purpose, 'reset')
    assert.closeTo(row.expiresAt.diff(row.createdAt, 'minutes').minutes, 60, 0.1)
    assert.exists(await AuditLog.forTenant(t.tenant.id).where('action', 'auth.password_reset_requested').first())

    const page = await client.get('/forgot-password').header('host', t.host).withCsrfToken()
    page.assertStatus(200)
  })

  test('an unknown address gets the same answer and no mail (no enumeration)', async ({ client }) => {
    const t = await makeTenant()
    const fake = mail.fake()
    const known = await requestReset(client, t, t.owner.email)
    const unknown = await requestReset(client, t, 'nobody@example.com')
    unknown.assertStatus(known.status())
    unknown.assertHeader('location', known.header('location'))
    unknown.assertFlashMessage('status', NEUTRAL)
    fake.mails.assertQueuedCount(PasswordResetMail, 1)
  })

  test('an address of another tenant, or an invited user, gets no mail', async ({ client }) => {
    const a = await makeTenant()
    const b = await makeTenant()
    const fake = mail.fake()
    const invited = await a.run(async () => {
      const u = await a.user('viewer')
      u.status = 'invited'
      await u.save()
      return u
    })
    ;(await requestReset(client, a, b.owner.email)).assertFlashMessage('status', NEUTRAL)
    ;(await requestReset(client, a, invited.email)).assertFlashMessage('status', NEUTRAL)
    fake.mails.assertNoneQueued()
  })

  test('requests are throttled per address', async ({ client, assert }) => {
    const t = await makeTenant()
    const fake = mail.fake()
    for (let i = 0; i < 3; i++) (await requestReset(client, t, t.owner.email)).assertFlashMessage('status', NEUTRAL)
    const fourth = await requestReset(client, t, t.owner.email)
    const errors = fourth.flashMessage('errorsBag') as { email: string }
    assert.match(errors.email, /^Too many attempts\. Try again in \d+ seconds\.$/)
    fake.mails.assertQueuedCount(PasswordResetMail, 3)
  })

  test('a signed-in user is sent to the dashboard', async ({ client }) => {
    const t = await makeTenant()
    const response = await client.get('/forgot-password').header('host', t.host).loginAs(t.owner).redirects(0)
    response.assertStatus(302)
    response.assertHeader('location', '/app')
  })

  test('an invalid address is a field error', async ({ client }) => {
    const t = await makeTenant()
    const response = await client
      .post('/forgot-password')
      .header('host', t.host)
      .header('referer', `http://${t.host}/forgot-password`)
      .form({ email: 'not-an-email' })
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(302)
    response.assertFlashMessage('inputErrorsBag', { email: ['Enter a valid email address.'] })
  })
})

test.group('Password reset: using the link', (group) => {
  group.each.teardown(() => mail.restore())

  test('the link shows the form; a valid new password signs the user in', async ({ client, assert }) => {
    const t = await makeTenant()
    const { token } = await resetLinkFor(client, t)
    const form = await client.get(`/reset-password/${token}`).header('host', t.host)
    form.assertStatus(200)
    form.assertTextIncludes('name="password_confirmation"')

    const response = await submitReset(client, t, token)
    response.assertStatus(302)
    response.assertHeader('location', '/app')
    const user = await User.forTenant(t.tenant.id).where('id', t.owner.id).firstOrFail()
    assert.isTrue(await hash.use('scrypt').verify(user.password!, NEW_PASSWORD))
    assert.isNotNull(user.lastLoginAt)
    const audit = await AuditLog.forTenant(t.tenant.id).where('action', 'auth.password_reset').firstOrFail()
    assert.equal(audit.subjectId, String(t.owner.id))

    const login = await client
      .post('/login')
      .header('host', t.host)
      .form({ email: t.owner.email, password: NEW_PASSWORD })
      .withCsrfToken()
      .redirects(0)
    login.assertHeader('location', '/app')
  })

  test('a link works once', async ({ client }) => {
    const t = await makeTenant()
    const { token } = await resetLinkFor(client, t)
    ;(await submitReset(client, t, token)).assertHeader('location', '/app')
    const again = await submitReset(client, t, token, 'yet-another-passphrase')
    again.assertStatus(410)
    again.assertTextIncludes('The link has already been used.')
    const page = await client.get(`/reset-password/${token}`).header('host', t.host)
    page.assertStatus(410)
    page.assertTextIncludes('The link has already been used.')
  })

  test('an expired link is refused with a clear message', async ({ client, assert }) => {
    const t = await makeTenant()
    const { token } = await resetLinkFor(client, t)
    await UserToken.forTenant(t.tenant.id)
      .where('token_hash', hashToken(token))
      .update({ expiresAt: DateTime.utc().minus({ minutes: 1 }).toFormat('yyyy-MM-dd HH:mm:ss') })
    const page = await client.get(`/reset-password/${token}`).header('host', t.host)
    page.assertStatus(410)
    page.assertTextIncludes('The link has expired.')
    const response = await submitReset(client, t, token)
    response.assertStatus(410)
    const user = await User.forTenant(t.tenant.id).where('id', t.owner.id).firstOrFail()
    assert.isFalse(await hash.use('scrypt').verify(user.password!, NEW_PASSWORD))
  })

  test('a newer link replaces the older one', async ({ client }) => {
    const t = await makeTenant()
    const first = await resetLinkFor(client, t)
    const second = await resetLinkFor(client, t)
    ;(await client.get(`/reset-password/${first.token}`).header('host', t.host)).assertStatus(404)
    ;(await submitReset(client, t, second.token)).assertHeader('location', '/app')
  })

  test('an unknown token answers 404', async ({ client }) => {
    const t = await makeTenant()
    ;(await client.get('/reset-password/not-a-real-token').header('host', t.host)).assertStatus(404)
    ;(await submitReset(client, t, 'not-a-real-token')).assertStatus(404)
  })

  test("tenant A's link on tenant B's host is not found", async ({ client, assert }) => {
    const a = await makeTenant()
    const b = await makeTenant()
    const { token } = await resetLinkFor(client, a)
    ;(await client.get(`/reset-password/${token}`).header('host', b.host)).assertStatus(404)
    ;(await submitReset(client, b, token)).assertStatus(404)
    const row = await UserToken.forTenant(a.tenant.id).where('token_hash', hashToken(token)).firstOrFail()
    assert.isNull(row.usedAt)
  })

  test('password rules: too short, too long and mismatched are field errors', async ({ client, assert }) => {
    const t = await makeTenant()
    const { token } = await resetLinkFor(client, t)
    const short = await submitReset(client, t, token, 'short')
    short.assertStatus(302)
    short.assertFlashMessage('inputErrorsBag', { password: ['Password needs at least 12 characters.'] })
    const long = await submitReset(client, t, token, 'x'.repeat(257))
    long.assertFlashMessage('inputErrorsBag', { password: ['Password can have at most 256 characters.'] })
    const mismatch = await submitReset(client, t, token, NEW_PASSWORD, 'something-else-entirely')
    assert.property(mismatch.flashMessage('inputErrorsBag'), 'password_confirmation')
    const row = await UserToken.forTenant(t.tenant.id).where('token_hash', hashToken(token)).firstOrFail()
    assert.isNull(row.usedAt)
  })

  test('a deactivated user cannot use a link issued before deactivation', async ({ client }) => {
    const t = await makeTenant()
    const { token } = await resetLinkFor(client, t)
    await t.run(async () => {
      const u = await User.findOrFail(t.owner.id)
      u.status = 'deactivated'
      await u.save()
    })
    const response = await submitReset(client, t, token)
    response.assertStatus(410)
    response.assertTextIncludes('The link is no longer valid.')
  })
})
