import { test } from '@japa/runner'
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
