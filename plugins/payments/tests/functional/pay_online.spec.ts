import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import CheckoutSession from '#plugins/payments/models/checkout_session'
import IdempotencyKey from '#plugins/payments/models/idempotency_key'
import { startFakeStripe, type FakeStripe } from '#plugins/payments/tests/helpers/fake_stripe'
import { stripeTenant, summaryOf, drainJobs } from '#plugins/payments/tests/helpers/payments'
import { publicPath } from '#plugins/invoicing/services/documents_tokens'
import plugins from '#kernel/plugin_service'

let fake: FakeStripe

/** The checkout URL the pay page hands the browser to */
function checkoutUrl(res: { status(): number; text(): string }) {
  if (res.status() !== 200) return null
  return res.text().match(/data-testid="checkout-link" href="([^"]+)"|href="([^"]+)" data-testid="checkout-link"/)?.slice(1).find(Boolean)?.replace(/&amp;/g, '&') ?? null
}

test.group('Payments: pay online from the public invoice', (group) => {
  group.setup(async () => {
    fake = await startFakeStripe()
    return () => fake.close()
  })

  test('Pay → Checkout Session → fake checkout → invoice paid once, receipt queued, staff notified', async ({ client, assert }) => {
    const f = await stripeTenant(fake)
    const path = publicPath(f.invoice)!
    const page = await client.get(path).header('host', f.t.host)
    page.assertStatus(200)
    assert.include(page.text(), 'data-testid="pay-online"')
    const token = path.split('/').pop()

    const pay = await client.post(`/p/payments/invoices/${token}/pay`).header('host', f.t.host).withCsrfToken().redirects(0)
    pay.assertStatus(200)
    const location = checkoutUrl(pay)!
    assert.match(location, new RegExp(`^${fake.url}/checkout/cs_test_`))
    const sessionId = location.split('/').pop()!
    const session = f.account.objects.get(sessionId)!
    assert.equal(session.amount_total, f.invoice.balanceDue)
    assert.equal(session.metadata.invoice_id, String(f.invoice.id))
    const key = await IdempotencyKey.forTenant(f.t.tenant.id).where('operation', 'checkout.sessions.create').firstOrFail()
    assert.equal(key.resultId, sessionId)

    /* clicking Pay again reuses the open session */
    const again = await client.post(`/p/payments/invoices/${token}/pay`).header('host', f.t.host).withCsrfToken().redirects(0)
    assert.equal(checkoutUrl(again), location)
    assert.lengthOf(fake.objectsOf(f.account, 'checkout.session'), 1)

    const back = await fake.completeCheckout(sessionId)
    assert.equal(back, `http://${f.t.host}${path}?paid=1`)
    await drainJobs()
    const summary = await summaryOf(f.t.tenant.id, f.invoice.id)
    assert.equal(summary.status, 'paid')
    assert.lengthOf(await db.from('invoicing_payments').where({ tenant_id: f.t.tenant.id, gateway: 'stripe' }), 1)
    assert.equal((await CheckoutSession.forTenant(f.t.tenant.id).firstOrFail()).status, 'complete')
    const mails = await db.from('mail_messages').where({ tenant_id: f.t.tenant.id }).where('subject', 'like', 'Receipt:%')
    assert.lengthOf(mails, 1)
    assert.include(mails[0].to, 'billing@globex.test')
    const notes = await db.from('notifications').where({ tenant_id: f.t.tenant.id, event: 'payments.payment_received' })
    assert.isAbove(notes.length, 0)

    /* delivering the same webhooks again sends no second receipt */
    await fake.completeCheckout(sessionId)
    await drainJobs()
    assert.lengthOf(await db.from('mail_messages').where({ tenant_id: f.t.tenant.id }).where('subject', 'like', 'Receipt:%'), 1)
    const paidPage = await client.get(path).header('host', f.t.host)
    assert.notInclude(paidPage.text(), 'data-testid="pay-online"')
  })

  test('a lost response on Checkout Session creation: the next click reuses the persisted key', async ({ client, assert }) => {
    const f = await stripeTenant(fake)
    const token = publicPath(f.invoice)!.split('/').pop()
    fake.dropNextResponses(2)
    const failed = await client.post(`/p/payments/invoices/${token}/pay`).header('host', f.t.host).withCsrfToken().redirects(0)
    failed.assertStatus(302)
    assert.lengthOf(fake.objectsOf(f.account, 'checkout.session'), 1)
    const ok = await client.post(`/p/payments/invoices/${token}/pay`).header('host', f.t.host).withCsrfToken().redirects(0)
    ok.assertStatus(200)
    assert.lengthOf(fake.objectsOf(f.account, 'checkout.session'), 1)
    assert.equal(checkoutUrl(ok), fake.objectsOf(f.account, 'checkout.session')[0].url)
  })

  test('partial payments only when the tenant allows them; bank transfer instructions show on the invoice', async ({ client, assert }) => {
    const f = await stripeTenant(fake)
    const path = publicPath(f.invoice)!
    const token = path.split('/').pop()
    const full = await client.post(`/p/payments/invoices/${token}/pay`).header('host', f.t.host).withCsrfToken().form({ amount: '10.00' }).redirects(0)
    assert.equal(f.account.objects.get(checkoutUrl(full)!.split('/').pop()!)!.amount_total, f.invoice.balanceDue)

    await plugins.saveSettings(f.t.tenant.id, 'payments', { allowPartialPayments: true, bankTransferInstructions: 'IBAN DE02 1203 0000 0000 2020 51' })
    const page = await client.get(path).header('host', f.t.host)
    assert.include(page.text(), 'name="amount"')
    assert.include(page.text(), 'IBAN DE02 1203 0000 0000 2020 51')
    const part = await client.post(`/p/payments/invoices/${token}/pay`).header('host', f.t.host).withCsrfToken().form({ amount: '10.00' }).redirects(0)
    part.assertStatus(200)
    assert.equal(f.account.objects.get(checkoutUrl(part)!.split('/').pop()!)!.amount_total, 1000)
    const tooMuch = await client.post(`/p/payments/invoices/${token}/pay`).header('host', f.t.host).withCsrfToken().form({ amount: '999999' }).redirects(0)
    tooMuch.assertStatus(302)
    assert.equal(tooMuch.header('location'), path)
  })

  test('without Stripe keys there is no Pay button and paying answers with a message, not a 500', async ({ client, assert }) => {
    const f = await stripeTenant(fake, { configure: false })
    const path = publicPath(f.invoice)!
    const page = await client.get(path).header('host', f.t.host)
    assert.notInclude(page.text(), 'data-testid="pay-online"')
    const res = await client.post(`/p/payments/invoices/${path.split('/').pop()}/pay`).header('host', f.t.host).withCsrfToken().redirects(0)
    res.assertStatus(302)
    const unknown = await client.post('/p/payments/invoices/nope/pay').header('host', f.t.host).withCsrfToken().redirects(0)
    unknown.assertStatus(404)
    assert.equal((await summaryOf(f.t.tenant.id, f.invoice.id)).amountPaid, 0)
  })
})
