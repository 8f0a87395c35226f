/*
| Sending through a real SMTP server: the job renders the mail, attaches the PDF, links the
| public page and marks the invoice sent; a second run of the same job sends nothing more.
*/
import { test } from '@japa/runner'
import jobs from '#services/jobs'
import webhooksConfig from '#config/webhooks'
import { saveMailSettings } from '#services/mail_dispatcher'
import { startSmtpServer, type TestSmtpServer } from '#tests/helpers/smtp_server'
import Document from '#plugins/invoicing/models/document'
import { publicPath } from '#plugins/invoicing/services/documents_tokens'
import { fixture, issued } from '#plugins/invoicing/tests/helpers/documents_ui'

test.group('Invoicing UI: PDF and sending', (group) => {
  let smtp: TestSmtpServer
  group.each.setup(async () => {
    webhooksConfig.allowPrivateNetworks = true
    smtp = await startSmtpServer()
    return async () => {
      webhooksConfig.allowPrivateNetworks = false
      await smtp.close()
    }
  })
  group.each.timeout(60_000)

  test('the PDF downloads from the document page and the public link', async ({ client, assert }) => {
    const f = await fixture()
    const doc = await issued(f)
    const pdf = await client.get(`/app/invoicing/invoices/${doc.id}/pdf`).header('host', f.t.host).loginAs(f.t.owner)
    pdf.assertStatus(200)
    assert.equal(pdf.header('content-type'), 'application/pdf')
    assert.match(pdf.header('content-disposition') ?? '', /attachment; filename="Invoice /)
    const bytes = Buffer.from(pdf.body() as any)
    assert.equal(bytes.subarray(0, 5).toString(), '%PDF-')
    const pub = await client.get(`${publicPath(doc)}/pdf`).header('host', f.t.host)
    pub.assertStatus(200)
    assert.equal(pub.header('content-type'), 'application/pdf')
  })

  test('send: the mail arrives with the PDF and the public link, the invoice is sent, once', async ({ client, assert }) => {
    const f = await fixture()
    await f.t.run(() => saveMailSettings({ smtpEnabled: true, smtpHost: smtp.host, smtpPort: smtp.port, smtpSecurity: 'none' }))
    const doc = await issued(f)
    const response = await client
      .post(`/app/invoicing/invoices/${doc.id}/send`)
      .header('host', f.t.host)
      .loginAs(f.t.owner)
      .withCsrfToken()
      .redirects(0)
      .form({ to: 'ap@globex.test' })
    response.assertStatus(302)
    const again = await client.post(`/app/invoicing/invoices/${doc.id}/send`).header('host', f.t.host).loginAs(f.t.owner).withCsrfToken().redirects(0).form({ to: 'ap@globex.test' })
    again.assertStatus(302)
    await jobs.drain()
    await jobs.drain()
    assert.lengthOf(smtp.mails, 1)
    const mail = smtp.mails[0].parsed
    assert.deepEqual(smtp.mails[0].envelope.to, ['ap@globex.test'])
    assert.include(mail.subject!, doc.number!)
    assert.include(mail.text!, publicPath(doc)!)
    assert.lengthOf(mail.attachments, 1)
    assert.equal(mail.attachments[0].contentType, 'application/pdf')
    assert.equal(mail.attachments[0].content.subarray(0, 5).toString(), '%PDF-')
    assert.equal((await f.t.run(() => Document.findOrFail(doc.id))).status, 'sent')

    const bad = await client.post(`/app/invoicing/invoices/${doc.id}/send`).header('host', f.t.host).loginAs(f.t.owner).withCsrfToken().redirects(0).form({ to: 'not-an-address' })
    bad.assertStatus(302)
    bad.assertFlashMessage('errorsBag', { to: 'The client has no email address: add one to the client or type it here.' })
  })
})
