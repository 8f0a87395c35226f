import { test } from '@japa/runner'
import AuditLog from '#models/audit_log'
import { makeTenant } from '#tests/helpers/tenants'
import EmailTemplate from '../../models/email_template.js'
import { renderEmailTemplate } from '../../services/templates/email_templates.js'
import { sampleEmailContext } from '../../services/templates/email_defaults.js'

const XSS = `<script>alert(1)</script><img src=x onerror=alert(2)>`

test.group('Invoicing email templates', () => {
  test('defaults in English and German, per client language, with placeholders filled', async ({ assert }) => {
    const t = await makeTenant({ name: 'Northwind' })
    const context = sampleEmailContext('Northwind', 'en')
    const en = await renderEmailTemplate(t.tenant.id, 'invoice_sent', context, 'en-GB')
    assert.equal(en.subject, 'Invoice INV-2026-00042 from Northwind')
    assert.include(en.text, 'Hello Jane Doe,')
    assert.include(en.text, '€4,270.91')
    assert.include(en.html, '<a href="https://example.com/p/invoicing/d/abc123">')

    const de = await renderEmailTemplate(t.tenant.id, 'invoice_sent', sampleEmailContext('Northwind', 'de'), 'de-DE')
    assert.equal(de.subject, 'Rechnung INV-2026-00042 von Northwind')
    assert.include(de.text, 'Guten Tag Jane Doe,')

    const fallback = await renderEmailTemplate(t.tenant.id, 'payment_reminder', context, 'fr')
    assert.equal(fallback.subject, 'Reminder: invoice INV-2026-00042 is due')
    const receipt = await renderEmailTemplate(t.tenant.id, 'payment_receipt', context, 'en')
    assert.include(receipt.text, 'Remaining balance: €1,270.91.')
    const paid = await renderEmailTemplate(t.tenant.id, 'payment_receipt', { ...context, document: { ...context.document, balance_due: false } }, 'en')
    assert.include(paid.text, 'paid in full')
    const quote = await renderEmailTemplate(t.tenant.id, 'quote_sent', context, 'en')
    assert.include(quote.subject, 'Quote INV-2026-00042')
  })

  test('client data is escaped in the HTML body, tenant overrides win, other tenants keep the default', async ({ assert }) => {
    const t = await makeTenant({ name: 'Northwind' })
    const other = await makeTenant({ name: 'Other' })
    await t.run(async () => {
      const { saveEmailTemplate } = await import('../../services/templates/email_templates.js')
      await saveEmailTemplate('invoice_sent', 'en', {
        subject: 'Your bill {{ document.number }}',
        body: '<b>Dear</b> {{ client.name }}\n\nPay {{ document.total }} here: {{ document.url }}',
      })
    })
    const context = sampleEmailContext('Northwind', 'en')
    context.client.name = XSS
    const mine = await renderEmailTemplate(t.tenant.id, 'invoice_sent', context, 'en')
    assert.equal(mine.subject, 'Your bill INV-2026-00042')
    assert.notInclude(mine.html, '<script>')
    assert.notInclude(mine.html, '<img')
    assert.notInclude(mine.html, '<b>')
    assert.include(mine.html, '&#60;script&#62;alert(1)&#60;/script&#62;')
    assert.include(mine.text, XSS, 'the plain text part carries the text as is')
    const theirs = await renderEmailTemplate(other.tenant.id, 'invoice_sent', context, 'en')
    assert.equal(theirs.subject, 'Invoice INV-2026-00042 from Northwind')
  })

  test('the editor saves with field errors for bad Liquid, previews live, resets to the default', async ({ client, assert }) => {
    const t = await makeTenant({ name: 'Northwind' })
    const url = '/app/invoicing/email-templates/payment_reminder/de'
    const index = await client.get('/app/invoicing/email-templates').header('host', t.host).loginAs(t.owner)
    index.assertStatus(200)
    for (const key of ['invoice_sent', 'quote_sent', 'payment_receipt', 'payment_reminder']) {
      assert.include(index.text(), `data-template="${key}-en"`)
      assert.include(index.text(), `data-template="${key}-de"`)
    }
    const edit = await client.get(url).header('host', t.host).loginAs(t.owner)
    edit.assertStatus(200)
    assert.include(edit.text(), 'Zahlungserinnerung: Rechnung INV-2026-00042', 'preview with sample data')

    const post = (path: string, form: Record<string, string>) =>
      client.post(path).header('host', t.host).loginAs(t.owner).form(form).withCsrfToken().redirects(0)
    const bad = await post(url, { subject: 'Hi {{ client.name', body: 'x' })
    assert.equal(bad.header('location'), url)
    assert.property(bad.flashMessages().errorsBag ?? {}, 'subject')
    const badBody = await post(url, { subject: 'ok', body: '{% render "secrets" %}' })
    assert.property(badBody.flashMessages().errorsBag ?? {}, 'body')
    const empty = await post(url, { subject: '', body: '' })
    assert.properties(empty.flashMessages().inputErrorsBag ?? {}, ['subject', 'body'])
    assert.isNull(await EmailTemplate.forTenant(t.tenant.id).first())

    await post(url, { subject: 'Erinnerung {{ document.number }}', body: 'Bitte zahlen Sie {{ document.balance }}.' })
    const saved = await EmailTemplate.forTenant(t.tenant.id).where('key', 'payment_reminder').where('locale', 'de').firstOrFail()
    assert.equal(saved.subject, 'Erinnerung {{ document.number }}')
    const rendered = await renderEmailTemplate(t.tenant.id, 'payment_reminder', sampleEmailContext('Northwind', 'de'), 'de')
    assert.equal(rendered.text, 'Bitte zahlen Sie 1.270,91 €.')
    assert.isNotNull(await AuditLog.forTenant(t.tenant.id).where('action', 'invoicing.email_template.saved').first())

    const preview = await client
      .post(`${url}/preview`)
      .header('host', t.host)
      .header('hx-request', 'true')
      .loginAs(t.owner)
      .form({ subject: 'Vorschau {{ document.number }}', body: `Hallo {{ client.name }} ${XSS}` })
      .withCsrfToken()
    preview.assertStatus(200)
    assert.include(preview.text(), 'id="invoicing-email-templates-preview"')
    assert.include(preview.text(), 'Vorschau INV-2026-00042')
    assert.notInclude(preview.text(), '<script>alert(1)')
    const brokenPreview = await client
      .post(`${url}/preview`)
      .header('host', t.host)
      .header('hx-request', 'true')
      .loginAs(t.owner)
      .form({ subject: '{% if %}', body: 'x' })
      .withCsrfToken()
    brokenPreview.assertStatus(200)
    assert.include(brokenPreview.text(), 'field-error')

    await post(`${url}/reset`, {})
    assert.isNull(await EmailTemplate.forTenant(t.tenant.id).first())
    const unknown = await client.get('/app/invoicing/email-templates/nope/en').header('host', t.host).loginAs(t.owner)
    unknown.assertStatus(404)
    const unknownLocale = await client.get('/app/invoicing/email-templates/invoice_sent/fr').header('host', t.host).loginAs(t.owner)
    unknownLocale.assertStatus(404)
  })
})
