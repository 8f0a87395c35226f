import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import { runDueProfiles } from '#plugins/invoicing/services/recurring'
import OffsessionCharge from '#plugins/payments/models/offsession_charge'
import SavedMethod from '#plugins/payments/models/saved_method'
import { customerRow, ensureStripeCustomer, syncPaymentMethod } from '#plugins/payments/services/billing_customers'
import { createPlan, subscribe } from '#plugins/payments/services/subscriptions'
import { clientFor } from '#plugins/payments/services/stripe_client'
import { startFakeStripe, type FakeStripe } from '#plugins/payments/tests/helpers/fake_stripe'
import { stripeTenant, summaryOf, drainJobs } from '#plugins/payments/tests/helpers/payments'

let fake: FakeStripe

/**
 * A subscriber whose first invoice was declined on an old card; then, at Stripe, a new card was
 * saved, the old one detached and the retry with the new card succeeded. Returns the events
 * Stripe sends for that, in the order it happened.
 */
async function scenario() {
  const f = await stripeTenant(fake)
  const tenantId = f.t.tenant.id
  const customer = await f.t.run(() => ensureStripeCustomer(tenantId, f.client.id))
  const old = fake.addCard(f.account, customer.stripeCustomerId, { last4: '0341', behaviour: 'card_declined' })
  await f.t.run(() => syncPaymentMethod(tenantId, old.id))
  const invoiceId = await f.t.run(async () => {
    const plan = await createPlan({ name: 'Care', price: 2500, currency: 'EUR', interval: 'month', interval_count: 1, trial_days: 0, setup_fee: 0 })
    await subscribe({ client_id: f.client.id, plan_id: plan.id, start_on: DateTime.utc().toISODate()! })
    const [id] = await runDueProfiles()
    return id
  })
  await drainJobs()
  const charge = await OffsessionCharge.forTenant(tenantId).where('invoice_id', invoiceId).firstOrFail()
  const failed = f.account.objects.get(charge.paymentIntentId!)!

  const fresh = fake.addCard(f.account, customer.stripeCustomerId, { last4: '4444' })
  const si = { id: `seti_${fresh.id.slice(3)}`, object: 'setup_intent', status: 'succeeded', customer: customer.stripeCustomerId, payment_method: fresh.id, usage: 'off_session', metadata: {} }
  f.account.objects.set(si.id, si)
  old.customer = null
  const stripe = await f.t.run(() => clientFor(tenantId))
  const invoice = await summaryOf(tenantId, invoiceId)
  const succeeded = await stripe.paymentIntents.create({
    amount: invoice.balanceDue,
    currency: 'eur',
    customer: customer.stripeCustomerId!,
    payment_method: fresh.id,
    off_session: true,
    confirm: true,
    metadata: { invoice_id: String(invoiceId), client_id: String(f.client.id), tenant_id: String(tenantId), offsession: '1' },
  })
  const events = [
    fake.event(f.account, 'payment_intent.payment_failed', { ...failed }),
    fake.event(f.account, 'setup_intent.succeeded', { ...si }),
    fake.event(f.account, 'payment_method.detached', { ...old, customer: null }),
    fake.event(f.account, 'payment_intent.succeeded', { ...succeeded }),
  ]
  return { f, invoiceId, events, succeeded }
}

async function stateOf(s: Awaited<ReturnType<typeof scenario>>) {
  const tenantId = s.f.t.tenant.id
  const methods = await SavedMethod.forTenant(tenantId).orderBy('last4')
  const charge = await OffsessionCharge.forTenant(tenantId).where('invoice_id', s.invoiceId).firstOrFail()
  const invoice = await summaryOf(tenantId, s.invoiceId)
  const payments = await db.from('invoicing_payments').where({ tenant_id: tenantId, gateway: 'stripe' })
  return {
    methods: methods.map((m) => ({ last4: m.last4, detached: m.detachedAt !== null, default: m.isDefault })),
    charge: { status: charge.status, paidWithRetry: charge.paymentIntentId === s.succeeded.id },
    invoice: { status: invoice.status, balanceDue: invoice.balanceDue },
    payments: payments.map((p) => Number(p.amount)),
  }
}

async function deliverAll(s: Awaited<ReturnType<typeof scenario>>, order: number[]) {
  for (const i of order) {
    const res = await fake.deliver(s.f.account, s.events[i])
    if (res.status !== 200) throw new Error(`webhook answered ${res.status}`)
    await drainJobs()
  }
}

test.group('Payments billing: subscription lifecycle events', (group) => {
  group.setup(async () => {
    fake = await startFakeStripe()
    return () => fake.close()
  })

  test('delivered shuffled, they end in the same state as in order', async ({ assert }) => {
    const inOrder = await scenario()
    await deliverAll(inOrder, [0, 1, 2, 3])
    const expected = await stateOf(inOrder)
    assert.deepEqual(expected, {
      methods: [
        { last4: '0341', detached: true, default: false },
        { last4: '4444', detached: false, default: true },
      ],
      charge: { status: 'succeeded', paidWithRetry: true },
      invoice: { status: 'paid', balanceDue: 0 },
      payments: [2500],
    })

    for (const order of [[3, 2, 1, 0], [2, 3, 0, 1], [1, 3, 0, 2, 3, 2]]) {
      const shuffled = await scenario()
      await deliverAll(shuffled, order)
      assert.deepEqual(await stateOf(shuffled), expected, `order ${order.join(',')}`)
    }
  })

  test('the client saves a card through the public link and Stripe Checkout in setup mode', async ({ client, assert }) => {
    const f = await stripeTenant(fake)
    const row = await f.t.run(() => customerRow(f.t.tenant.id, f.client.id))
    const link = `/p/payments/cards/${row.setupToken}`
    const page = await client.get(link).header('host', f.t.host)
    page.assertStatus(200)
    assert.notInclude(page.text(), 'data-testid="saved-cards"')
    ;(await client.get('/p/payments/cards/guessed-token-guessed-token').header('host', f.t.host)).assertStatus(404)
    const other = await stripeTenant(fake)
    ;(await client.get(link).header('host', other.t.host)).assertStatus(404)

    fake.nextSetupCard = { brand: 'mastercard', last4: '5454', expMonth: 3, expYear: 2031 }
    const go = await client.post(`${link}/setup`).header('host', f.t.host).withCsrfToken().redirects(0)
    go.assertStatus(303)
    const sessionId = go.header('location')!.split('/').pop()!
    assert.equal(f.account.objects.get(sessionId)!.mode, 'setup')
    const back = await fake.completeCheckout(sessionId)
    assert.equal(back, `http://${f.t.host}${link}?saved=1`)
    await drainJobs()
    fake.nextSetupCard = {}

    const methods = await SavedMethod.forTenant(f.t.tenant.id).where('client_id', f.client.id)
    assert.lengthOf(methods, 1)
    assert.deepInclude(methods[0].serialize(), { brand: 'mastercard', last4: '5454', expMonth: 3, expYear: 2031, isDefault: true })
    const done = await client.get(`${link}?saved=1`).header('host', f.t.host)
    assert.include(done.text(), 'data-testid="cards-saved"')
    assert.include(done.text(), '5454')
    assert.lengthOf(fake.objectsOf(f.account, 'customer'), 1, 'one Stripe customer per client')
  })
})
