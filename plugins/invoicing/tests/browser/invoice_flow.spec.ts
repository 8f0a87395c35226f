/*
| The user flow in a real browser: create a client, build an invoice with lines and
| taxes, finalise, download the PDF, send it (the mail reaches an SMTP server), open the public
| link as the client (the invoice becomes "viewed"), record a partial payment, see the balance.
*/
import { test } from '@japa/runner'
import type { Page } from 'playwright'
import { readFile } from 'node:fs/promises'
import jobs from '#services/jobs'
import webhooksConfig from '#config/webhooks'
import { saveMailSettings } from '#services/mail_dispatcher'
import { startSmtpServer, type TestSmtpServer } from '#tests/helpers/smtp_server'
import { makeTenant } from '#tests/helpers/tenants'
import { assertAccessible, frontEndReady, overflowsX, screenshot, signIn, urlFor } from '#tests/helpers/browser'
import Document from '#plugins/invoicing/models/document'
import TaxRate from '#plugins/invoicing/models/tax_rate'

/* A toast over a button pauses while the pointer rests on it: close them before the next click */
async function dismissToasts(page: Page) {
  for (const close of await page.locator('.toast .toast-close').all()) await close.click()
}

test.group('Browser: invoicing flow', (group) => {
  let smtp: TestSmtpServer
  group.each.setup(async () => {
    webhooksConfig.allowPrivateNetworks = true
    smtp = await startSmtpServer()
    return async () => {
      webhooksConfig.allowPrivateNetworks = false
      await smtp.close()
    }
  })
  group.each.timeout(120_000)

  test('client → invoice with taxes → finalise → PDF → send → public link viewed → partial payment', async ({ visit, browser, assert }) => {
    const t = await makeTenant({ name: 'Acme Studio' })
    await t.run(() => saveMailSettings({ fromName: 'Acme Billing', smtpEnabled: true, smtpHost: smtp.host, smtpPort: smtp.port, smtpSecurity: 'none' }))
    const rates = await t.run(() => TaxRate.query().where('category', 'S').orderBy('rate', 'desc'))
    assert.isAtLeast(rates.length, 1)

    /* 1. a client, through the clients form */
    const page = await signIn(visit, t, { path: '/app/invoicing/clients/new' })
    await page.locator('#name').fill('Globex Corporation')
    await page.locator('#email').fill('ap@globex.test')
    await page.locator('#address_line1').fill('1 Main Street')
    await page.locator('#postal_code').fill('10115')
    await page.locator('#city').fill('Berlin')
    await page.locator('main form button[type="submit"]').last().click()
    await page.waitForURL(/\/app\/invoicing\/clients\/\d+$/)

    /* 2. an invoice with two lines at different tax rates; totals follow the typing */
    await page.goto(urlFor(t, '/app/invoicing/invoices/new'))
    await frontEndReady(page)
    await page.getByTestId('client-picker').selectOption({ label: 'Globex Corporation' })
    await page.locator('#line-0-description').fill('Brand strategy workshop')
    await page.locator('#line-0-quantity').fill('2.5')
    await page.locator('#line-0-unit_price').fill('120')
    await page.locator('#line-0-tax_rate_id').selectOption(String(rates[0].id))
    await page.getByTestId('add-line').click()
    await page.locator('#line-1-description').waitFor()
    await page.locator('#line-1-description').fill('Hosting (monthly)')
    await page.locator('#line-1-quantity').fill('1')
    await page.locator('#line-1-unit_price').fill('30')
    await page.locator('#line-1-tax_rate_id').selectOption(String(rates[rates.length - 1].id))
    await page.locator('#line-1-unit_price').press('Tab')
    await page.waitForFunction(() => (globalThis as any).document.querySelector('#inv-line-amount-1')?.textContent.includes('30.00'))
    const expectedNet = 30_000 + 3000
    await page.waitForFunction((net) => (globalThis as any).document.querySelector('[data-total="subtotal"]')?.textContent.includes(net), (expectedNet / 100).toFixed(2))
    await assertAccessible(page, assert, 'invoice editor')
    await screenshot(page, 'invoicing-editor')
    await page.getByTestId('save-draft').click()
    await page.waitForURL(/\/app\/invoicing\/invoices\/\d+$/)
    const id = Number(/invoices\/(\d+)$/.exec(page.url())![1])
    const draft = await t.run(() => Document.findOrFail(id))
    assert.equal(draft.subtotal, expectedNet)
    assert.lengthOf(draft.taxBreakdown, rates.length > 1 ? 2 : 1)
    assert.equal(draft.total, draft.netTotal + draft.taxTotal)

    /* 3. finalise */
    page.once('dialog', (dialog) => dialog.accept())
    await page.getByTestId('finalize').click()
    await page.locator('[data-testid="document-status"][data-status="finalized"]').waitFor()
    const finalised = await t.run(() => Document.findOrFail(id))
    assert.isString(finalised.number)
    await screenshot(page, 'invoicing-invoice-finalised')

    /* 4. the PDF */
    await dismissToasts(page)
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-pdf').click()])
    const bytes = await readFile((await download.path())!)
    assert.equal(bytes.subarray(0, 5).toString(), '%PDF-')
    assert.include(download.suggestedFilename(), finalised.number!)

    /* 5. send: the mail reaches the SMTP server with the PDF and the public link */
    await page.locator('#send-to').fill('ap@globex.test')
    await page.getByTestId('send').click()
    await page.locator('.toast').first().waitFor()
    await dismissToasts(page)
    await jobs.drain()
    assert.lengthOf(smtp.mails, 1)
    const mail = smtp.mails[0].parsed
    assert.include(mail.subject!, finalised.number!)
    assert.equal(mail.attachments[0]?.contentType, 'application/pdf')
    await page.reload()
    await page.locator('[data-testid="document-status"][data-status="sent"]').waitFor()

    /* 6. the client opens the public link (no session): the invoice becomes "viewed" */
    const publicHref = await page.locator('a[href^="/p/invoicing/d/"]').first().getAttribute('href')
    assert.include(mail.text!, publicHref!)
    const anon = await browser.newContext({ locale: 'en-US', colorScheme: 'light', reducedMotion: 'reduce' })
    const clientPage = await anon.newPage()
    await clientPage.goto(urlFor(t, publicHref!))
    await clientPage.getByTestId('public-amount').waitFor()
    assert.include(await clientPage.getByTestId('public-status').innerText(), 'Viewed')
    await assertAccessible(clientPage, assert, 'public invoice page')
    await screenshot(clientPage, 'invoicing-public-link')
    await clientPage.setViewportSize({ width: 360, height: 800 })
    assert.isFalse(await overflowsX(clientPage), 'public page scrolls sideways at 360 px')
    await screenshot(clientPage, 'invoicing-public-link-360')
    await anon.close()
    assert.equal((await t.run(() => Document.findOrFail(id))).status, 'viewed')

    /* 7. a partial payment; the balance follows */
    await page.reload()
    await page.locator('[data-testid="document-status"][data-status="viewed"]').waitFor()
    await page.locator('#payment-amount').fill('100')
    await page.locator('#payment-reference').fill('SEPA 4711')
    await page.getByTestId('record-payment').click()
    await page.locator('[data-testid="document-status"][data-status="partially_paid"]').waitFor()
    const paid = await t.run(() => Document.findOrFail(id))
    assert.equal(paid.balanceDue, paid.total - 10_000)
    const balanceText = await page.getByTestId('balance-due').innerText()
    assert.include(balanceText.replace(/[^\d.]/g, ''), ((paid.total - 10_000) / 100).toFixed(2))
    await assertAccessible(page, assert, 'invoice page')
    await screenshot(page, 'invoicing-invoice-partially-paid')

    /* the list shows it with its balance */
    await page.goto(urlFor(t, '/app/invoicing/invoices'))
    await page.locator(`tr[data-document-id="${id}"] [data-status="partially_paid"]`).waitFor()
    await assertAccessible(page, assert, 'invoice list')
    await screenshot(page, 'invoicing-invoice-list')
    await page.goto(urlFor(t, '/app'))
    await page.waitForFunction(() => !(globalThis as any).document.querySelector('#kernel-dashboard-widgets .skeleton'))
    await screenshot(page, 'invoicing-dashboard')
  })
})
