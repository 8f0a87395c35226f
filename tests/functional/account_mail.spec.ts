import { test } from '@japa/runner'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import mail from '@adonisjs/mail/services/main'
import Role from '#models/role'
import Tenant from '#models/tenant'
import InvitationMail from '#mails/invitation_mail'
import { inviteUser } from '#services/invitation_service'
import { brandFor, writeMailToDisk } from '#services/mail_service'
import { makeTenant } from '#tests/helpers/tenants'

test.group('Mail', (group) => {
  group.each.teardown(() => mail.restore())

  test('mails carry the tenant name and colours', async ({ assert }) => {
    const t = await makeTenant({ name: 'Colour Co' })
    await Tenant.query().where('id', t.tenant.id).update({ theme: JSON.stringify({ ...t.tenant.theme, primary: '#aa3300' }) })
    const fake = mail.fake()
    const staff = await Role.forTenant(t.tenant.id).where('key', 'staff').firstOrFail()
    await t.run(async () => {
      t.tenant.theme = { ...t.tenant.theme, primary: '#aa3300' }
      await inviteUser({ email: 'brand@example.com', roleId: staff.id, invitedBy: t.owner })
    })
    const sent = fake.mails.queued((m) => m instanceof InvitationMail)[0] as InvitationMail
    await sent.buildWithContents()
    sent.message.assertHtmlIncludes('background:#aa3300')
    sent.message.assertHtmlIncludes('Colour Co')
    sent.message.assertTextIncludes('Test Owner invited you to Colour Co')
    assert.equal(brandFor(t.tenant).primary, '#aa3300')
  })

  test("mails go out in the tenant's language", async () => {
    const t = await makeTenant({ name: 'Deutsch GmbH' })
    t.tenant.locale = 'de'
    const fake = mail.fake()
    const staff = await Role.forTenant(t.tenant.id).where('key', 'staff').firstOrFail()
    await t.run(() => inviteUser({ email: 'de@example.com', roleId: staff.id, invitedBy: t.owner }))
    const sent = fake.mails.queued((m) => m instanceof InvitationMail)[0] as InvitationMail
    sent.message.assertSubject('Einladung zu Deutsch GmbH')
    await sent.buildWithContents()
    sent.message.assertHtmlIncludes('Einladung annehmen')
  })

  test('the log mailer keeps each message as a JSON file with its link', async ({ assert }) => {
    const dir = await mkdtemp(join(tmpdir(), 'cf-mail-'))
    try {
      const written = await writeMailToDisk(
        {
          to: [{ address: 'dev@example.com', name: 'Dev' }],
          subject: 'Reset your password',
          text: 'Choose a new password: http://acme.localhost:3333/reset-password/abc123\n',
          html: '<p>x</p>',
        },
        dir
      )
      assert.match(written.file, /\/\d{4}-\d{2}-\d{2}T[\d-]+Z-dev@example\.com\.json$/)
      assert.equal(written.link, 'http://acme.localhost:3333/reset-password/abc123')
      const body = JSON.parse(await readFile(written.file, 'utf8'))
      assert.deepEqual(body.to, ['dev@example.com'])
      assert.equal(body.subject, 'Reset your password')
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
