/*
| The browser flow: the client opens the public invoice, clicks Pay, completes the fake
| Stripe checkout, comes back to the invoice which shows paid, and the receipt reaches SMTP.
*/
import { test } from '@japa/runner'
import jobs from '#services/jobs'
import webhooksConfig from '#config/webhooks'
import { saveMailSettings } from '#services/mail_dispatcher'
import { startSmtpServer, type TestSmtpServer } from '#tests/helpers/smtp_server'
import { assertAccessible, overflowsX, screenshot, signIn, urlFor } from '#tests/helpers/browser'
import { waitFor } from '#tests/helpers/jobs'
import { publicPath } from '#plugins/invoicing/services/documents_tokens'
import { startFakeStripe, type FakeStripe } from '#plugins/payments/tests/helpers/fake_stripe'
import { stripeTenant, summaryOf } from '#plugins/payments/tests/helpers/payments'

test.group('Browser: pay an invoice online', (group) => {
  let smtp: TestSmtpServer
  let fake: FakeStripe
  group.setup(async () => {
    /* the test SMTP server listens on loopback, which tenant mail hosts may not use outside tests */
    webhooksConfig.allowPrivateNetworks = true
    smtp = await startSmtpServer()
    fake = await startFakeStripe()
    return async () => {
      webhooksConfig.allowPrivateNetworks = false
      await fake.close()
      await smtp.close()
    }
  })

  test('public invoice → Pay → fake checkout → invoice paid and the receipt mail arrives', async ({ visit, assert }) => {
    const f = await stripeTenant(fake)
    await f.t.run(() => saveMailSettings({ smtpEnabled: true, smtpHost: smtp.host, smtpPort: smtp.port, smtpSecurity: 'none' }))
    const page = await visit(urlFor(f.t, publicPath(f.invoice)!))
    await page.getByTestId('pay-online').waitFor()
    await screenshot(page, 'payments-public-invoice')
    await page.getByTestId('pay-online').click()
    await page.waitForURL(new RegExp(`^${fake.url}/checkout/cs_test_`))
    assert.include(await page.getByTestId('checkout-amount').innerText(), (f.invoice.balanceDue / 100).toFixed(2))
    await page.getByRole('button', { name: 'Pay' }).click()
    await page.waitForURL(/\?paid=1$/)
    await jobs.drain({ timeoutMs: 20_000 })
    await page.reload()
    await page.locator('[data-testid="public-status"]').waitFor()
    assert.equal((await summaryOf(f.t.tenant.id, f.invoice.id)).status, 'paid')
    assert.match(await page.getByTestId('public-status').innerText(), /paid/i)
    assert.equal(await page.getByTestId('pay-online').count(), 0)
    await screenshot(page, 'payments-public-invoice-paid')
    await waitFor(() => smtp.mails.some((m) => m.parsed.subject?.startsWith('Receipt:')), 15_000, 'the receipt mail')
    const receipt = smtp.mails.find((m) => m.parsed.subject?.startsWith('Receipt:'))!
    assert.deepEqual(receipt.envelope.to, ['billing@globex.test'])
    assert.include(receipt.parsed.text!, f.invoice.number!)
  })

  test('staff pages: settings, payments with the refund form, events; accessible and usable at 360 px', async ({ visit, assert }) => {
    const f = await stripeTenant(fake)
    await fake.completeCheckout((await f.t.run(async () => (await import('#plugins/payments/services/stripe_payments')).createCheckout(f.t.tenant.id, f.invoice.id, f.invoice.balanceDue, { success: 'http://x.test/ok', cancel: 'http://x.test/no' }))).sessionId)
    await jobs.drain({ timeoutMs: 20_000 })
    const page = await signIn(visit, f.t, { path: '/app/payments/settings' })
    assert.equal(await page.getByTestId('webhook-url').innerText(), `https://${f.t.host}:${process.env.PORT}/webhooks/stripe`)
    await page.getByTestId('check-connection').click()
    await page.getByText(`Connected: ${f.account.name}`).waitFor()
    await assertAccessible(page, assert, 'payments settings')
    await screenshot(page, 'payments-settings')
    await page.goto(urlFor(f.t, '/app/payments/payments'))
    await page.locator('#payments-payments-list [data-payment-id]').first().waitFor()
    await assertAccessible(page, assert, 'payments list')
    await screenshot(page, 'payments-list')
    /* filters swap the history in place (HTMX) and keep the URL shareable; bad input shows next to the field */
    await page.getByLabel('Amount from').fill('ten')
    await page.getByRole('button', { name: 'Apply filters' }).click()
    await page.locator('#ph-amount_min-error').waitFor()
    await page.getByLabel('Amount from').fill('')
    await page.getByLabel('Currency', { exact: true }).fill('USD')
    await page.getByRole('button', { name: 'Apply filters' }).click()
    await page.waitForURL(/currency=USD/)
    assert.equal(await page.locator('#payments-payments-list [data-payment-id]').count(), 0)
    await page.goto(urlFor(f.t, `/app/invoicing/clients/${f.client.id}`))
    await page.getByTestId('payments-client-history').click()
    await page.getByRole('heading', { level: 1, name: `Online payments of ${f.client.name}` }).waitFor()
    assert.equal(await page.locator('#payments-payments-list [data-payment-id]').count(), 1)
    await page.locator('[data-totals-currency="EUR"]').waitFor()
    await assertAccessible(page, assert, 'client payment history')
    await screenshot(page, 'payments-history-client')
    await page.goto(urlFor(f.t, '/app/payments/events'))
    await page.locator('[data-event-id]').first().waitFor()
    await assertAccessible(page, assert, 'stripe events')
    for (const path of ['/app/payments/settings', '/app/payments/payments', `/app/payments/payments?client=${f.client.id}`, '/app/payments/events']) {
      await page.setViewportSize({ width: 360, height: 740 })
      await page.goto(urlFor(f.t, path))
      await screenshot(page, `payments-360-${path.split('/').pop()!.replace(/[?=]/g, '-')}`)
      assert.isFalse(await overflowsX(page), `${path} overflows at 360 px`)
    }
  })
})
