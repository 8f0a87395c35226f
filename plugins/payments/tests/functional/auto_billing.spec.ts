import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import { runDueProfiles } from '#plugins/invoicing/services/recurring'
import { createRecurringProfile } from '#plugins/invoicing/public'
import OffsessionCharge from '#plugins/payments/models/offsession_charge'
import SavedMethod from '#plugins/payments/models/saved_method'
import { ensureStripeCustomer, syncPaymentMethod } from '#plugins/payments/services/billing_customers'
import { chargeInvoice, retryDueCharges } from '#plugins/payments/services/auto_billing'
import { announceExpiringCards } from '#plugins/payments/services/card_expiry'
import { startFakeStripe, type CardOptions, type FakeStripe } from '#plugins/payments/tests/helpers/fake_stripe'
import { stripeTenant, summaryOf, drainJobs } from '#plugins/payments/tests/helpers/payments'

let fake: FakeStripe

/** A tenant on the fake whose client has a saved default card with the given behaviour */
async function withCard(card: CardOptions = {}) {
  const f = await stripeTenant(fake)
  const customer = await f.t.run(() => ensureStripeCustomer(f.t.tenant.id, f.client.id))
  const pm = fake.addCard(f.account, customer.stripeCustomerId, card)
  await f.t.run(() => syncPaymentMethod(f.t.tenant.id, pm.id))
  return { ...f, customer, pm }
}

/** A monthly profile whose first period is due today: running it fires invoice.recurring.due */
async function dueInvoice(f: Awaited<ReturnType<typeof withCard>>) {
  const ids = await f.t.run(async () => {
    await createRecurringProfile({ clientId: f.client.id, name: 'Support', currency: 'EUR', description: 'Support plan', unitPrice: 4900, interval: 'monthly', intervalDays: null, startOn: DateTime.utc().toISODate()! })
    return runDueProfiles()
  })
  if (ids.length !== 1) throw new Error(`expected one due invoice, got ${ids.length}`)
  return ids[0]
}

const stripePayments = (tenantId: number, invoiceId: number) =>
  db.from('invoicing_payments').join('invoicing_payment_allocations', 'invoicing_payment_allocations.payment_id', 'invoicing_payments.id').where({ 'invoicing_payments.tenant_id': tenantId, 'invoicing_payment_allocations.document_id': invoiceId, 'invoicing_payments.gateway': 'stripe' })

test.group('Payments billing: off-session charges of recurring invoices', (group) => {
  group.setup(async () => {
    fake = await startFakeStripe()
    return () => fake.close()
  })

  test('invoice.recurring.due → off-session charge → invoice paid once, also when the webhook follows', async ({ assert }) => {
    const f = await withCard()
    const invoiceId = await dueInvoice(f)
    await drainJobs()

    const charge = await OffsessionCharge.forTenant(f.t.tenant.id).where('invoice_id', invoiceId).firstOrFail()
    assert.equal(charge.status, 'succeeded')
    assert.equal(charge.attempts, 1)
    const summary = await summaryOf(f.t.tenant.id, invoiceId)
    assert.equal(summary.status, 'paid')
    const pis = fake.objectsOf(f.account, 'payment_intent')
    assert.lengthOf(pis, 1)
    assert.equal(pis[0].amount, summary.total)
    assert.equal(pis[0].customer, f.customer.stripeCustomerId)
    assert.equal(pis[0].payment_method, f.pm.id)
    assert.lengthOf(await stripePayments(f.t.tenant.id, invoiceId), 1)
    const key = fake.log.find((l) => l.method === 'POST' && l.path === '/v1/payment_intents')!
    const stored = await db.from('payments_idempotency_keys').where({ tenant_id: f.t.tenant.id, scope: `offsession:${invoiceId}:1` }).first()
    assert.equal(stored.key, key.idempotencyKey, 'the key was persisted and sent')

    /* Stripe's webhook for the same PaymentIntent, and another run of the charge, change nothing */
    const delivered = await fake.deliver(f.account, fake.event(f.account, 'payment_intent.succeeded', { ...pis[0] }))
    assert.equal(delivered.status, 200)
    await drainJobs()
    await f.t.run(() => chargeInvoice(f.t.tenant.id, invoiceId))
    assert.lengthOf(fake.objectsOf(f.account, 'payment_intent'), 1)
    assert.lengthOf(await stripePayments(f.t.tenant.id, invoiceId), 1)
  })

  test('a lost response is retried with the same persisted key: one charge', async ({ assert }) => {
    const f = await withCard()
    const ids = await f.t.run(async () => {
      await createRecurringProfile({ clientId: f.client.id, name: 'Hosting', currency: 'EUR', description: 'Hosting', unitPrice: 1200, interval: 'monthly', intervalDays: null, startOn: DateTime.utc().toISODate()! })
      return runDueProfiles()
    })
    /* the hook's job is not run yet: charge by hand with a dropped answer */
    /* the first answer and stripe-node's own retry are both lost */
    fake.dropNextResponses(2)
    await assert.rejects(() => f.t.run(() => chargeInvoice(f.t.tenant.id, ids[0])))
    assert.lengthOf(fake.objectsOf(f.account, 'payment_intent'), 1, 'the fake committed the charge')
    await f.t.run(() => chargeInvoice(f.t.tenant.id, ids[0]))
    await drainJobs()
    assert.lengthOf(fake.objectsOf(f.account, 'payment_intent'), 1, 'the retry was replayed, not charged again')
    assert.equal((await summaryOf(f.t.tenant.id, ids[0])).status, 'paid')
    assert.lengthOf(await stripePayments(f.t.tenant.id, ids[0]), 1)
  })

  test('authentication_required → the client gets a link, the invoice stays open until 3-D Secure passes', async ({ client, assert }) => {
    const f = await withCard({ behaviour: 'authentication_required' })
    const invoiceId = await dueInvoice(f)
    await drainJobs()

    const charge = await OffsessionCharge.forTenant(f.t.tenant.id).where('invoice_id', invoiceId).firstOrFail()
    assert.equal(charge.status, 'requires_action')
    assert.isNull(charge.nextRetryAt, 'no blind retry: only the client can authenticate')
    assert.notEqual((await summaryOf(f.t.tenant.id, invoiceId)).status, 'paid')
    const mails = await db.from('mail_messages').where({ tenant_id: f.t.tenant.id }).where('subject', 'like', 'Please confirm your payment%')
    assert.lengthOf(mails, 1)
    assert.include(mails[0].to, 'billing@globex.test')
    const link = `/p/payments/authenticate/${charge.actionToken}`
    assert.include(JSON.stringify(mails[0]), link)

    const page = await client.get(link).header('host', f.t.host)
    page.assertStatus(200)
    assert.include(page.text(), 'data-testid="authenticate-continue"')
    const go = await client.post(link).header('host', f.t.host).withCsrfToken().redirects(0)
    go.assertStatus(303)
    assert.equal(go.header('location'), `${fake.url}/authenticate/${charge.paymentIntentId}`)
    ;(await client.get('/p/payments/authenticate/not-a-real-token-at-all-xx').header('host', f.t.host)).assertStatus(404)

    /* the client passes 3-D Secure on the (fake) bank page: Stripe sends payment_intent.succeeded */
    await fake.authenticate(charge.paymentIntentId!)
    await drainJobs()
    await charge.refresh()
    assert.equal(charge.status, 'succeeded')
    assert.equal((await summaryOf(f.t.tenant.id, invoiceId)).status, 'paid')
    assert.lengthOf(await stripePayments(f.t.tenant.id, invoiceId), 1)
    const done = await client.get(link).header('host', f.t.host)
    assert.include(done.text(), 'data-testid="authenticate-done"')
  })

  test('a declined card is retried after 1, 3 and 5 days, then the tenant is told', async ({ assert }) => {
    const f = await withCard({ behaviour: 'card_declined' })
    const invoiceId = await dueInvoice(f)
    await drainJobs()
    const row = () => OffsessionCharge.forTenant(f.t.tenant.id).where('invoice_id', invoiceId).firstOrFail()

    let charge = await row()
    assert.equal(charge.status, 'failed')
    assert.equal(charge.failureCode, 'insufficient_funds')
    let at: DateTime = DateTime.now()
    for (const [attempt, days] of [[1, 1], [2, 3], [3, 5]]) {
      assert.equal(charge.attempts, attempt)
      const wait = charge.nextRetryAt!.diff(at, 'hours').hours
      assert.approximately(wait, days * 24, 0.1, `retry ${attempt} after ${days} days`)
      /* not yet due: nothing happens */
      await f.t.run(() => retryDueCharges(at.plus({ hours: days * 24 - 2 })))
      assert.equal((await row()).attempts, attempt)
      at = charge.nextRetryAt!.plus({ minutes: 1 })
      await f.t.run(() => retryDueCharges(at))
      charge = await row()
    }
    assert.equal(charge.attempts, 4)
    assert.equal(charge.status, 'exhausted')
    assert.isNull(charge.nextRetryAt)
    const keys = await db.from('payments_idempotency_keys').where({ tenant_id: f.t.tenant.id }).where('scope', 'like', `offsession:${invoiceId}:%`)
    assert.lengthOf(keys, 4, 'each attempt has its own key')
    assert.lengthOf(fake.objectsOf(f.account, 'payment_intent'), 4)
    const notes = await db.from('notifications').where({ tenant_id: f.t.tenant.id, event: 'payments.charge_exhausted' })
    assert.isAbove(notes.length, 0, 'the tenant is told')
    assert.notEqual((await summaryOf(f.t.tenant.id, invoiceId)).status, 'paid')

    /* further runs never charge an exhausted invoice again */
    await f.t.run(() => retryDueCharges(at.plus({ days: 30 })))
    assert.lengthOf(fake.objectsOf(f.account, 'payment_intent'), 4)
  })

  test('expiring cards are announced to the client once, a month ahead', async ({ assert }) => {
    const soon = DateTime.utc().plus({ days: 20 })
    const f = await withCard({ expMonth: soon.month, expYear: soon.year, last4: '0005' })
    const later = fake.addCard(f.account, f.customer.stripeCustomerId, { expMonth: 12, expYear: soon.year + 3, last4: '7777' })
    await f.t.run(() => syncPaymentMethod(f.t.tenant.id, later.id))

    const first = await f.t.run(() => announceExpiringCards())
    const expiring = await SavedMethod.forTenant(f.t.tenant.id).where('payment_method_id', f.pm.id).firstOrFail()
    assert.deepEqual(first, [expiring.id])
    assert.deepEqual(await f.t.run(() => announceExpiringCards()), [], 'once')
    const mails = await db.from('mail_messages').where({ tenant_id: f.t.tenant.id }).where('subject', 'like', 'Your saved card%')
    assert.lengthOf(mails, 1)
    assert.include(mails[0].to, 'billing@globex.test')
  })
})
