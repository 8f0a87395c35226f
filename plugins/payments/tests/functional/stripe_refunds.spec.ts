import { test } from '@japa/runner'
import { randomUUID } from 'node:crypto'
import db from '@adonisjs/lucid/services/db'
import GatewayPayment from '#plugins/payments/models/gateway_payment'
import IdempotencyKey from '#plugins/payments/models/idempotency_key'
import { startFakeStripe, type FakeStripe } from '#plugins/payments/tests/helpers/fake_stripe'
import { stripeTenant, summaryOf, drainJobs } from '#plugins/payments/tests/helpers/payments'
import { createCheckout } from '#plugins/payments/services/stripe_payments'

let fake: FakeStripe

/** An invoice paid through Checkout, its webhooks processed */
async function paid() {
  const f = await stripeTenant(fake)
  const session = await f.t.run(() => createCheckout(f.t.tenant.id, f.invoice.id, f.invoice.balanceDue, { success: 'http://x.test/ok', cancel: 'http://x.test/no' }))
  await fake.completeCheckout(session.sessionId)
  await drainJobs()
  const payment = await GatewayPayment.forTenant(f.t.tenant.id).firstOrFail()
  return { ...f, payment }
}

const ledgerRefunds = (tenantId: number) => db.from('invoicing_payments').where({ tenant_id: tenantId, kind: 'refund' })

test.group('Payments: refunds', (group) => {
  group.setup(async () => {
    fake = await startFakeStripe()
    return () => fake.close()
  })

  test('Stripe commits a refund and the response is lost: the retry with the persisted key refunds once', async ({ client, assert }) => {
    const f = await paid()
    assert.equal((await summaryOf(f.t.tenant.id, f.invoice.id)).status, 'paid')
    const token = randomUUID()
    /* the first attempt and stripe-node's own retry both lose their response */
    fake.dropNextResponses(2)
    const first = await client.post(`/app/payments/payments/${f.payment.id}/refund`).header('host', f.t.host).loginAs(f.t.owner).withCsrfToken().form({ amount: '50.00', request_token: token }).redirects(0)
    first.assertStatus(302)
    assert.lengthOf(fake.objectsOf(f.account, 'refund'), 1)
    assert.lengthOf(await ledgerRefunds(f.t.tenant.id), 0)
    const key = await IdempotencyKey.forTenant(f.t.tenant.id).where('operation', 'refunds.create').firstOrFail()
    assert.equal(key.status, 'pending')

    const retry = await client.post(`/app/payments/payments/${f.payment.id}/refund`).header('host', f.t.host).loginAs(f.t.owner).withCsrfToken().form({ amount: '50.00', request_token: token }).redirects(0)
    retry.assertStatus(302)
    assert.lengthOf(fake.objectsOf(f.account, 'refund'), 1)
    const sent = fake.log.filter((l) => l.path === '/v1/refunds' && l.method === 'POST')
    assert.lengthOf(sent, 3)
    assert.isTrue(sent.every((l) => l.idempotencyKey === key.key))
    assert.isTrue(sent[2].replayed)
    const refunds = await ledgerRefunds(f.t.tenant.id)
    assert.lengthOf(refunds, 1)
    assert.equal(Math.abs(Number(refunds[0].amount)), 5000)
    await key.refresh()
    assert.equal(key.status, 'succeeded')
    const summary = await summaryOf(f.t.tenant.id, f.invoice.id)
    assert.equal(summary.balanceDue, 5000)

    /* the history shows fee and net; the CSV carries the same figures, filtered by status */
    const csv = await client.get('/app/payments/payments.csv?status=partially_refunded').header('host', f.t.host).loginAs(f.t.owner)
    csv.assertStatus(200)
    assert.include(csv.header('content-type'), 'text/csv')
    const lines = csv.text().trim().split('\n')
    assert.lengthOf(lines, 2)
    assert.include(lines[1], `${f.payment.reference},`)
    assert.include(lines[1], `,${f.payment.amount},${f.payment.fee},${f.payment.amount - f.payment.fee!},5000,`)
    const none = await client.get('/app/payments/payments.csv?status=failed').header('host', f.t.host).loginAs(f.t.owner)
    assert.lengthOf(none.text().trim().split('\n'), 1)
    await f.payment.refresh()
    assert.equal(f.payment.status, 'partially_refunded')
    assert.equal(f.payment.amountRefunded, 5000)

    /* Stripe's charge.refunded for the same refund changes nothing more */
    const charge = f.account.objects.get(f.payment.chargeId!)!
    await fake.deliver(f.account, fake.event(f.account, 'charge.refunded', { ...charge }))
    await drainJobs()
    assert.lengthOf(await ledgerRefunds(f.t.tenant.id), 1)
  })

  test('a refund made in Stripe\'s dashboard reaches the ledger through charge.refunded', async ({ assert }) => {
    const f = await paid()
    const stripeRefund = await (await import('#plugins/payments/services/stripe_client')).stripeClient(f.account.secretKey).refunds.create({ payment_intent: f.payment.reference })
    assert.equal(stripeRefund.amount, f.payment.amount)
    const charge = f.account.objects.get(f.payment.chargeId!)!
    await fake.deliver(f.account, fake.event(f.account, 'charge.refunded', { ...charge }))
    await drainJobs()
    const refunds = await ledgerRefunds(f.t.tenant.id)
    assert.lengthOf(refunds, 1)
    await f.payment.refresh()
    assert.equal(f.payment.status, 'refunded')
    assert.equal((await summaryOf(f.t.tenant.id, f.invoice.id)).balanceDue, f.payment.amount)
  })

  test('a refund larger than what is left is refused with a field error and nothing is sent', async ({ client, assert }) => {
    const f = await paid()
    const res = await client.post(`/app/payments/payments/${f.payment.id}/refund`).header('host', f.t.host).loginAs(f.t.owner).withCsrfToken().form({ amount: '999999', request_token: randomUUID() }).redirects(0)
    res.assertStatus(302)
    assert.lengthOf(fake.objectsOf(f.account, 'refund'), 0)
    res.assertFlashMessage('errorsBag', { amount: 'The refund is larger than what is left of the payment.' })
    const page = await client.get('/app/payments/payments').header('host', f.t.host).loginAs(f.t.owner).withFlashMessages(res.flashMessages())
    assert.include(page.text(), 'larger than what is left')
  })
})
