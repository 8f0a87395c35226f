/*
| Mail through a real SMTP server started by the test: the tenant's own SMTP settings (password
| stored encrypted), the branded layout, the recipient's language, an attachment from Drive, and
| delivery by the `kernel:send_mail` job.
*/
import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import jobs from '#services/jobs'
import webhooksConfig from '#config/webhooks'
import MailMessage from '#models/mail_message'
import AuditLog from '#models/audit_log'
import { makeTenant, type TestTenant } from '#tests/helpers/tenants'
import { startSmtpServer, type TestSmtpServer } from '#tests/helpers/smtp_server'
import { queueMail, saveMailSettings } from '#services/mail_dispatcher'
import { storeBuffer } from '#services/file_service'
import emitter from '@adonisjs/core/services/emitter'

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n')

async function useSmtp(t: TestTenant, smtp: TestSmtpServer, extra: Record<string, unknown> = {}) {
  return t.run(() =>
    saveMailSettings({
      fromName: 'Acme Billing',
      fromAddress: 'billing@acme.test',
      replyTo: 'support@acme.test',
      smtpEnabled: true,
      smtpHost: smtp.host,
      smtpPort: smtp.port,
      smtpSecurity: 'none',
      smtpUsername: 'acme',
      smtpPassword: 's3cret-pass',
      ...extra,
    })
  )
}

test.group('Mail: SMTP delivery', (group) => {
  let smtp: TestSmtpServer
  group.each.setup(async () => {
    /* the test SMTP server listens on loopback, which tenants may only use when the operator allows it */
    webhooksConfig.allowPrivateNetworks = true
    smtp = await startSmtpServer({ username: 'acme', password: 's3cret-pass' })
    return async () => {
      webhooksConfig.allowPrivateNetworks = false
      await smtp.close()
    }
  })

  test('a queued mail reaches the SMTP server with recipient, subject, branded body and attachment', async ({ assert }) => {
    const t = await makeTenant({ name: 'Acme GmbH' })
    t.tenant.theme = { ...t.tenant.theme, primary: '#7a1f5c', logoUrl: 'https://cdn.acme.test/logo.png' }
    await t.tenant.save()
    await useSmtp(t, smtp)
    const file = await t.run(() => storeBuffer('Rechnung 2026-001.pdf', PDF))

    const queued = await t.run(() =>
      queueMail({
        to: 'kunde@example.com',
        subject: 'Your invoice 2026-001',
        template: 'emails/notification',
        data: {
          heading: 'Invoice 2026-001',
          intro: 'Please find your invoice attached.',
          actionUrl: 'https://acme.example/invoices/1',
          actionLabel: 'View invoice',
        },
        attachments: [file.id],
      })
    )
    assert.equal(queued.status, 'queued')
    assert.lengthOf(smtp.mails, 0)

    await jobs.drain()

    assert.lengthOf(smtp.mails, 1)
    const received = smtp.mails[0]
    assert.deepEqual(received.envelope.to, ['kunde@example.com'])
    assert.equal(received.envelope.from, 'billing@acme.test')
    assert.deepEqual(received.auth, { username: 'acme', password: 's3cret-pass' })
    const parsed = received.parsed
    assert.equal(parsed.subject, 'Your invoice 2026-001')
    assert.deepEqual(parsed.from?.value, [{ address: 'billing@acme.test', name: 'Acme Billing' }])
    assert.equal(parsed.replyTo?.value[0].address, 'support@acme.test')
    assert.include(parsed.html || '', 'Invoice 2026-001')
    assert.include(parsed.html || '', 'border-top:4px solid #7a1f5c')
    assert.include(parsed.html || '', 'https://cdn.acme.test/logo.png')
    assert.include(parsed.html || '', 'href="https://acme.example/invoices/1"')
    assert.include(parsed.text || '', 'View invoice: https://acme.example/invoices/1')
    assert.lengthOf(parsed.attachments, 1)
    assert.equal(parsed.attachments[0].filename, 'Rechnung 2026-001.pdf')
    assert.equal(parsed.attachments[0].contentType, 'application/pdf')
    assert.deepEqual(parsed.attachments[0].content, PDF)

    const row = await MailMessage.forTenant(t.tenant.id).where('id', queued.id).firstOrFail()
    assert.equal(row.status, 'sent')
    assert.isNotNull(row.sentAt)
    assert.isString(row.providerMessageId)

    /* the job is idempotent: running it again sends nothing */
    await jobs.drain()
    assert.lengthOf(smtp.mails, 1)
  })

  test('the SMTP password is stored encrypted and never audited in clear', async ({ assert }) => {
    const t = await makeTenant()
    await useSmtp(t, smtp)
    const raw = await db.from('tenant_mail_settings').where('tenant_id', t.tenant.id).first()
    assert.notInclude(raw.smtp_password, 's3cret-pass')
    assert.isAbove(raw.smtp_password.length, 20)
    const log = await AuditLog.forTenant(t.tenant.id).where('action', 'mail_settings.updated').firstOrFail()
    assert.notInclude(JSON.stringify(log.after), 's3cret-pass')

    /* an empty password field keeps the stored one */
    await t.run(() => saveMailSettings({ smtpPassword: '' }))
    await t.run(() => queueMail({ to: 'x@example.com', subject: 'Still works', template: 'emails/notification', data: { heading: 'Hi' } }))
    await jobs.drain()
    assert.equal(smtp.mails[0].auth?.password, 's3cret-pass')
  })

  test('a mail queued in a rolled-back transaction is never sent (outbox)', async ({ assert }) => {
    const t = await makeTenant()
    await useSmtp(t, smtp)
    await t
      .run(() =>
        db.transaction(async (trx) => {
          await queueMail({ to: 'x@example.com', subject: 'Never', template: 'emails/notification', data: { heading: 'Never' } }, { client: trx })
          throw new Error('rolled back')
        })
      )
      .catch(() => {})
    await jobs.drain()
    assert.lengthOf(smtp.mails, 0)
    assert.lengthOf(await MailMessage.forTenant(t.tenant.id), 0)
  })

  test('a refused SMTP login leaves the mail queued for a retry with the error', async ({ assert }) => {
    const t = await makeTenant()
    await useSmtp(t, smtp, { smtpPassword: 'wrong' })
    const queued = await t.run(() => queueMail({ to: 'x@example.com', subject: 'Retry me', template: 'emails/notification', data: { heading: 'x' } }))
    await jobs.drain()
    const row = await MailMessage.forTenant(t.tenant.id).where('id', queued.id).firstOrFail()
    assert.equal(row.status, 'queued')
    assert.equal(row.attempts, 1)
    assert.match(row.error ?? '', /auth|Invalid/i)
    assert.lengthOf(smtp.mails, 0)
  })

  test('without own SMTP settings the platform mailer sends, as the tenant, with its reply-to', async ({ assert }) => {
    const t = await makeTenant({ name: 'Plain Co' })
    t.tenant.profile = { email: 'hello@plain.test' }
    await t.tenant.save()
    const sent: any[] = []
    const listener = (event: any) => sent.push(event)
    emitter.on('mail:sent', listener)
    try {
      await t.run(() => queueMail({ to: 'x@example.com', subject: 'Platform mailer', template: 'emails/notification', data: { heading: 'Hallo' }, locale: 'de' }))
      await jobs.drain()
    } finally {
      emitter.off('mail:sent', listener)
    }
    const row = await MailMessage.forTenant(t.tenant.id).firstOrFail()
    assert.equal(row.status, 'sent')
    assert.lengthOf(smtp.mails, 0)
    assert.lengthOf(sent, 1)
    assert.equal(sent[0].mailerName, 'log')
    assert.deepEqual(sent[0].message.from, { address: 'no-reply@localhost', name: 'Plain Co' })
    assert.deepEqual(sent[0].message.replyTo, ['hello@plain.test'])
  })

  test('an SMTP host on a private or loopback address is refused unless the operator allows it', async ({ assert }) => {
    const t = await makeTenant()
    webhooksConfig.allowPrivateNetworks = false
    const error = await useSmtp(t, smtp).catch((e) => e)
    assert.equal(error.code, 'E_ADDRESS_BLOCKED')
    assert.isNull(await db.from('tenant_mail_settings').where('tenant_id', t.tenant.id).first())
  })
})
