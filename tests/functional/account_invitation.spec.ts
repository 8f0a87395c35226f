import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import mail from '@adonisjs/mail/services/main'
import User from '#models/user'
import Role from '#models/role'
import UserToken from '#models/user_token'
import AuditLog from '#models/audit_log'
import InvitationMail from '#mails/invitation_mail'
import { inviteUser, resendInvitation } from '#services/invitation_service'
import { hashToken } from '#services/user_token_service'
import { makeTenant } from '#tests/helpers/tenants'

function tokenFrom(url: string) {
  return url.match(/\/invitations\/([A-Za-z0-9_-]+)$/)![1]
}

test.group('Invitations: service', (group) => {
  group.each.teardown(() => mail.restore())

  test('inviting creates an invited user, a hashed 7-day token, a mail and an audit entry', async ({ assert }) => {
    const t = await makeTenant({ name: 'Invite Co' })
    const fake = mail.fake()
    const staff = await Role.forTenant(t.tenant.id).where('key', 'staff').firstOrFail()
    const user = await t.run(() =>
      inviteUser({ email: ' New.Person@Example.com ', fullName: 'New Person', roleId: staff.id, invitedBy: t.owner })
    )
    assert.equal(user.status, 'invited')
    assert.equal(user.email, 'new.person@example.com')
    assert.isNull((await User.forTenant(t.tenant.id).where('id', user.id).firstOrFail()).password)

    const queued = fake.mails.queued((m) => m instanceof InvitationMail)
    assert.lengthOf(queued, 1)
    const sent = queued[0] as InvitationMail
    sent.message.assertTo('new.person@example.com')
    sent.message.assertSubject('You are invited to Invite Co')
    assert.match(sent.url, new RegExp(`^http://${t.host}(:\\d+)?/invitations/[A-Za-z0-9_-]{43}$`))
    await sent.buildWithContents()
    sent.message.assertHtmlIncludes(sent.url)
    sent.message.assertTextIncludes(sent.url)

    const token = tokenFrom(sent.url)
    const row = await UserToken.forTenant(t.tenant.id).where('user_id', user.id).firstOrFail()
    assert.equal(row.purpose, 'invite')
    assert.equal(row.tokenHash, hashToken(token))
    assert.notEqual(row.tokenHash, token)
    const days = row.expiresAt.diff(row.createdAt, 'days').days
    assert.closeTo(days, 7, 0.01)

    const log = await AuditLog.forTenant(t.tenant.id).where('action', 'user.invited').firstOrFail()
    assert.equal(log.subjectId, String(user.id))
    assert.equal(log.actorId, t.owner.id)
  })

  test('a duplicate email is refused with E_USER_EXISTS (409)', async ({ assert }) => {
    const t = await makeTenant()
    const staff = await Role.forTenant(t.tenant.id).where('key', 'staff').firstOrFail()
    const error = await t
      .run(() => inviteUser({ email: t.owner.email.toUpperCase(), roleId: staff.id, invitedBy: t.owner }))
      .catch((e) => e)
    assert.equal(error.code, 'E_USER_EXISTS')
    assert.equal(error.status, 409)
  })

  test('the same email may be invited in another tenant; a role of another tenant is not found', async ({ assert }) => {
    const a = await makeTenant()
    const b = await makeTenant()
    const bStaff = await Role.forTenant(b.tenant.id).where('key', 'staff').firstOrFail()
    const user = await b.run(() => inviteUser({ email: a.owner.email, roleId: bStaff.id, invitedBy: b.owner }))
    assert.equal(user.tenantId, b.tenant.id)
    const error = await a
      .run(() => inviteUser({ email: 'x@example.com', roleId: bStaff.id, invitedBy: a.owner }))
      .catch((e) => e)
    assert.equal(error.code, 'E_NOT_FOUND')
  })

  test('resending replaces the open token and sends a new link', async ({ assert }) => {
    const t = await makeTenant()
    const fake = mail.fake()
    const staff = await Role.forTenant(t.tenant.id).where('key', 'staff').firstOrFail()
    const user = await t.run(() => inviteUser({ email: 'again@example.com', roleId: staff.id, invitedBy: t.owner }))
    await t.run(() => resendInvitation(user, t.owner))
    const queued = fake.mails.queued((m) => m instanceof InvitationMail) as InvitationMail[]
    assert.lengthOf(queued, 2)
    assert.notEqual(queued[0].url, queued[1].url)
    const rows = await UserToken.forTenant(t.tenant.id).where('user_id', user.id)
    assert.lengthOf(rows, 1)
    assert.equal(rows[0].tokenHash, hashToken(tokenFrom(queued[1].url)))
    assert.exists(await AuditLog.forTenant(t.tenant.id).where('action', 'user.invitation_resent').first())

    const error = await t.run(() => resendInvitation(t.owner, t.owner)).catch((e) => e)
    assert.equal(error.code, 'E_NOT_INVITED')
  })
})

async function invite(t: Awaited<ReturnType<typeof makeTenant>>, email = 'invitee@example.com') {
  const fake = mail.fake()
  const staff = await Role.forTenant(t.tenant.id).where('key', 'staff').firstOrFail()
  const user = await t.run(() => inviteUser({ email, fullName: 'Invited Person', roleId: staff.id, invitedBy: t.owner }))
  const sent = fake.mails.queued((m) => m instanceof InvitationMail) as InvitationMail[]
  return { user, token: tokenFrom(sent[sent.length - 1].url) }
}

const CHOSEN = 'my-chosen-passphrase'

test.group('Invitations: accepting', (group) => {
  group.each.teardown(() => mail.restore())

  test('the link shows the tenant name and a set-password form', async ({ client }) => {
    const t = await makeTenant({ name: 'Welcome Works' })
    const { token } = await invite(t)
    const page = await client.get(`/invitations/${token}`).header('host', t.host)
    page.assertStatus(200)
    page.assertTextIncludes('Join Welcome Works')
    page.assertTextIncludes('invitee@example.com')
    page.assertTextIncludes('name="password_confirmation"')
  })

  test('accepting activates the user, sets the password and signs in', async ({ client, assert }) => {
    const t = await makeTenant()
    const { user, token } = await invite(t)
    const response = await client
      .post(`/invitations/${token}`)
      .header('host', t.host)
      .form({ fullName: 'Ines Invited', password: CHOSEN, password_confirmation: CHOSEN })
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(302)
    response.assertHeader('location', '/app')
    const fresh = await User.forTenant(t.tenant.id).where('id', user.id).firstOrFail()
    assert.equal(fresh.status, 'active')
    assert.equal(fresh.fullName, 'Ines Invited')
    assert.isNotNull(fresh.lastLoginAt)
    assert.exists(await AuditLog.forTenant(t.tenant.id).where('action', 'user.invitation_accepted').first())

    const login = await client
      .post('/login')
      .header('host', t.host)
      .form({ email: 'invitee@example.com', password: CHOSEN })
      .withCsrfToken()
      .redirects(0)
    login.assertHeader('location', '/app')
  })

  test('a used link shows a clear message and cannot be used again', async ({ client }) => {
    const t = await makeTenant()
    const { token } = await invite(t)
    const accept = () =>
      client
        .post(`/invitations/${token}`)
        .header('host', t.host)
        .form({ password: CHOSEN, password_confirmation: CHOSEN })
        .withCsrfToken()
        .redirects(0)
    ;(await accept()).assertHeader('location', '/app')
    const again = await accept()
    again.assertStatus(410)
    again.assertTextIncludes('The link has already been used.')
    const page = await client.get(`/invitations/${token}`).header('host', t.host)
    page.assertStatus(410)
    page.assertTextIncludes('The link has already been used.')
  })

  test('an expired link shows a clear message and leaves the user invited', async ({ client, assert }) => {
    const t = await makeTenant()
    const { user, token } = await invite(t)
    await UserToken.forTenant(t.tenant.id)
      .where('token_hash', hashToken(token))
      .update({ expiresAt: DateTime.utc().minus({ seconds: 5 }).toFormat('yyyy-MM-dd HH:mm:ss') })
    const page = await client.get(`/invitations/${token}`).header('host', t.host)
    page.assertStatus(410)
    page.assertTextIncludes('The link has expired.')
    const post = await client
      .post(`/invitations/${token}`)
      .header('host', t.host)
      .form({ password: CHOSEN, password_confirmation: CHOSEN })
      .withCsrfToken()
      .redirects(0)
    post.assertStatus(410)
    const fresh = await User.forTenant(t.tenant.id).where('id', user.id).firstOrFail()
    assert.equal(fresh.status, 'invited')
    assert.isNull(fresh.password)
  })

  test('a short password is a field error and keeps the link usable', async ({ client, assert }) => {
    const t = await makeTenant()
    const { token } = await invite(t)
    const response = await client
      .post(`/invitations/${token}`)
      .header('host', t.host)
      .header('referer', `http://${t.host}/invitations/${token}`)
      .form({ password: 'short', password_confirmation: 'short' })
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(302)
    response.assertHeader('location', `http://${t.host}/invitations/${token}`)
    response.assertFlashMessage('inputErrorsBag', { password: ['Password needs at least 12 characters.'] })
    const row = await UserToken.forTenant(t.tenant.id).where('token_hash', hashToken(token)).firstOrFail()
    assert.isNull(row.usedAt)
  })

  test("an unknown token, or another tenant's token, is not found", async ({ client }) => {
    const a = await makeTenant()
    const b = await makeTenant()
    const { token } = await invite(a)
    ;(await client.get('/invitations/nope').header('host', a.host)).assertStatus(404)
    ;(await client.get(`/invitations/${token}`).header('host', b.host)).assertStatus(404)
    const post = await client
      .post(`/invitations/${token}`)
      .header('host', b.host)
      .form({ password: CHOSEN, password_confirmation: CHOSEN })
      .withCsrfToken()
      .redirects(0)
    post.assertStatus(404)
    ;(await client.get(`/invitations/${token}`).header('host', 'localhost')).assertStatus(404)
  })

  test('a resent invitation makes the old link unknown', async ({ client }) => {
    const t = await makeTenant()
    const { user, token } = await invite(t)
    await t.run(() => resendInvitation(user, t.owner))
    ;(await client.get(`/invitations/${token}`).header('host', t.host)).assertStatus(404)
  })
})
