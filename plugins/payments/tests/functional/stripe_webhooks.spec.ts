import { test } from '@japa/runner'
import { request } from 'node:http'
import db from '@adonisjs/lucid/services/db'
import StripeEvent from '#plugins/payments/models/stripe_event'
import GatewayPayment from '#plugins/payments/models/gateway_payment'
import { startFakeStripe, fakeFee, type FakeStripe } from '#plugins/payments/tests/helpers/fake_stripe'
import { stripeTenant, summaryOf, drainJobs } from '#plugins/payments/tests/helpers/payments'
import { createCheckout } from '#plugins/payments/services/stripe_payments'
import { replaceAllowlist } from '#services/ip_allowlist_service'

let fake: FakeStripe

async function paidSession(f: Awaited<ReturnType<typeof stripeTenant>>) {
  const session = await f.t.run(() => createCheckout(f.t.tenant.id, f.invoice.id, f.invoice.balanceDue, { success: 'http://x.test/ok', cancel: 'http://x.test/no' }))
  await fake.completeCheckout(session.sessionId, { deliver: false })
  const cs = f.account.objects.get(session.sessionId)!
  return { cs, pi: f.account.objects.get(cs.payment_intent)! }
}

const ledgerPayments = (tenantId: number) =>
  db.from('invoicing_payments').where({ tenant_id: tenantId, gateway: 'stripe', kind: 'payment' })

test.group('Payments: Stripe webhooks', (group) => {
  group.setup(async () => {
    fake = await startFakeStripe()
    return () => fake.close()
  })

  test('a validly signed event is stored, acknowledged, and processed into one ledger payment with its fee', async ({ assert }) => {
    const f = await stripeTenant(fake)
    const { pi } = await paidSession(f)
    const evt = fake.event(f.account, 'payment_intent.succeeded', { ...pi })
    const res = await fake.deliver(f.account, evt)
    assert.equal(res.status, 200)
    assert.deepInclude(JSON.parse(res.body), { received: true, id: evt.id, duplicate: false })
    const stored = await StripeEvent.forTenant(f.t.tenant.id).where('event_id', evt.id).firstOrFail()
    assert.equal(stored.type, 'payment_intent.succeeded')
    await drainJobs()
    await stored.refresh()
    assert.equal(stored.status, 'processed')
    const summary = await summaryOf(f.t.tenant.id, f.invoice.id)
    assert.equal(summary.status, 'paid')
    assert.equal(summary.balanceDue, 0)
    const rows = await ledgerPayments(f.t.tenant.id)
    assert.lengthOf(rows, 1)
    assert.equal(rows[0].gateway_reference, pi.id)
    assert.equal(Number(rows[0].fee), fakeFee(pi.amount))
    const gp = await GatewayPayment.forTenant(f.t.tenant.id).where('reference', pi.id).firstOrFail()
    assert.equal(gp.status, 'succeeded')
    assert.equal(gp.net, pi.amount - fakeFee(pi.amount))
  })

  test('tampered body, wrong secret and an old timestamp answer 400 problem+json and store nothing', async ({ assert }) => {
    const f = await stripeTenant(fake)
    const { pi } = await paidSession(f)
    const evt = fake.event(f.account, 'payment_intent.succeeded', { ...pi })
    const body = JSON.stringify(evt, null, 2)
    const tampered = body.replace(`"amount": ${pi.amount}`, `"amount": ${pi.amount + 1}`)
    assert.notEqual(tampered, body)
    const signed = fake.sign(body, f.account.webhookSecret)
    /* a signature over the original body, sent with a changed body */
    const tamperedStatus = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: fake.appPort, path: '/webhooks/stripe', method: 'POST', headers: { 'host': f.t.host, 'content-type': 'application/json', 'stripe-signature': signed } }, (r) => {
        r.resume()
        resolve(r.statusCode!)
      })
      req.on('error', reject)
      req.end(tampered)
    })
    assert.equal(tamperedStatus, 400)
    const wrongSecret = await fake.deliver(f.account, evt, { secret: 'whsec_notthetenants' })
    assert.equal(wrongSecret.status, 400)
    assert.equal(JSON.parse(wrongSecret.body).code, 'E_STRIPE_WEBHOOK_REJECTED')
    const old = await fake.deliver(f.account, evt, { timestamp: Math.floor(Date.now() / 1000) - 301 })
    assert.equal(old.status, 400)
    assert.equal((await StripeEvent.forTenant(f.t.tenant.id)).length, 0)
    await drainJobs()
    assert.lengthOf(await ledgerPayments(f.t.tenant.id), 0)
    assert.equal((await summaryOf(f.t.tenant.id, f.invoice.id)).amountPaid, 0)
  })

  test('a tenant without a webhook secret refuses every event and stores nothing', async ({ assert }) => {
    const f = await stripeTenant(fake, { configure: false })
    const res = await fake.deliver(f.account, fake.event(f.account, 'payment_intent.succeeded', { id: 'pi_x', object: 'payment_intent' }))
    assert.equal(res.status, 400)
    assert.equal((await StripeEvent.forTenant(f.t.tenant.id)).length, 0)
  })

  test('the same event delivered 50 times concurrently makes one event row and one payment', async ({ assert }) => {
    const f = await stripeTenant(fake)
    const { pi, cs } = await paidSession(f)
    const evt = fake.event(f.account, 'payment_intent.succeeded', { ...pi })
    const other = fake.event(f.account, 'checkout.session.completed', { ...cs })
    const results = await Promise.all([...Array.from({ length: 50 }, () => fake.deliver(f.account, evt)), fake.deliver(f.account, other)])
    assert.isTrue(results.every((r) => r.status === 200), results.map((r) => r.status).join(','))
    assert.equal(results.filter((r) => JSON.parse(r.body).duplicate === false).length, 2)
    assert.lengthOf(await StripeEvent.forTenant(f.t.tenant.id).where('event_id', evt.id), 1)
    await drainJobs()
    assert.lengthOf(await ledgerPayments(f.t.tenant.id), 1)
    assert.equal((await summaryOf(f.t.tenant.id, f.invoice.id)).amountPaid, pi.amount)
  })

  test('events out of order (success before processing) end succeeded; a late "processing" does not step back', async ({ assert }) => {
    const f = await stripeTenant(fake)
    const { pi } = await paidSession(f)
    await fake.deliver(f.account, fake.event(f.account, 'payment_intent.succeeded', { ...pi }))
    await drainJobs()
    /* the processing event carries the old state; the handler re-reads the PaymentIntent */
    await fake.deliver(f.account, fake.event(f.account, 'payment_intent.processing', { ...pi, status: 'processing' }))
    await drainJobs()
    const gp = await GatewayPayment.forTenant(f.t.tenant.id).where('reference', pi.id).firstOrFail()
    assert.equal(gp.status, 'succeeded')
    assert.lengthOf(await ledgerPayments(f.t.tenant.id), 1)
  })

  test('cross-tenant: the right event on another tenant\'s host changes nothing there or here', async ({ assert }) => {
    const a = await stripeTenant(fake)
    const b = await stripeTenant(fake)
    const { pi } = await paidSession(a)
    const evt = fake.event(a.account, 'payment_intent.succeeded', { ...pi })
    const res = await fake.deliver(a.account, evt, { host: b.t.host })
    assert.equal(res.status, 400)
    /* even signed with B's own secret, the PaymentIntent does not exist in B's Stripe account */
    const forged = await fake.deliver(b.account, evt)
    assert.equal(forged.status, 200)
    await drainJobs().catch(() => undefined)
    assert.lengthOf(await ledgerPayments(b.t.tenant.id), 0)
    assert.lengthOf(await ledgerPayments(a.t.tenant.id), 0)
    assert.equal((await summaryOf(b.t.tenant.id, b.invoice.id)).amountPaid, 0)
    const stored = await StripeEvent.forTenant(b.t.tenant.id).where('event_id', evt.id).firstOrFail()
    assert.notEqual(stored.status, 'processed')
  })

  test('an admin UI IP allowlist that excludes the sender does not block signed webhooks', async ({ assert }) => {
    const f = await stripeTenant(fake)
    const { pi } = await paidSession(f)
    await replaceAllowlist(f.t.tenant.id, 'ui', [{ cidr: '203.0.113.0/24', label: 'office' }])
    const res = await fake.deliver(f.account, fake.event(f.account, 'payment_intent.processing', { ...pi }))
    assert.equal(res.status, 200)
    assert.lengthOf(await StripeEvent.forTenant(f.t.tenant.id), 1)
    const forged = await fake.deliver(f.account, fake.event(f.account, 'payment_intent.processing', { ...pi }), { secret: 'whsec_notthetenants' })
    assert.equal(forged.status, 400)
    assert.lengthOf(await StripeEvent.forTenant(f.t.tenant.id), 1)
  })

  test('a dispute marks the payment and a closed dispute records the outcome', async ({ assert }) => {
    const f = await stripeTenant(fake)
    const { pi } = await paidSession(f)
    await fake.deliver(f.account, fake.event(f.account, 'payment_intent.succeeded', { ...pi }))
    await drainJobs()
    const dispute = { id: 'dp_1', object: 'dispute', amount: pi.amount, charge: pi.latest_charge, payment_intent: pi.id, status: 'needs_response', currency: 'eur' }
    await fake.deliver(f.account, fake.event(f.account, 'charge.dispute.created', dispute))
    await drainJobs()
    const gp = await GatewayPayment.forTenant(f.t.tenant.id).where('reference', pi.id).firstOrFail()
    assert.equal(gp.disputeStatus, 'open')
    const notes = await db.from('notifications').where({ tenant_id: f.t.tenant.id }).where('event', 'payments.dispute_opened')
    assert.isAbove(notes.length, 0)
    await fake.deliver(f.account, fake.event(f.account, 'charge.dispute.closed', { ...dispute, status: 'won' }))
    /* a late "created" after the close must not reopen it */
    await fake.deliver(f.account, fake.event(f.account, 'charge.dispute.created', dispute))
    await drainJobs()
    await gp.refresh()
    assert.equal(gp.disputeStatus, 'won')
  })
})
