import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import GatewayPayment from '#plugins/payments/models/gateway_payment'
import { startFakeStripe, fakeFee, type FakeStripe } from '#plugins/payments/tests/helpers/fake_stripe'
import { stripeTenant, summaryOf, drainJobs } from '#plugins/payments/tests/helpers/payments'
import { createCheckout } from '#plugins/payments/services/stripe_payments'
import { tokenFor, assertProblem } from '#tests/helpers/api'

let fake: FakeStripe

async function paid() {
  const f = await stripeTenant(fake)
  const session = await f.t.run(() => createCheckout(f.t.tenant.id, f.invoice.id, f.invoice.balanceDue, { success: 'http://x.test/ok', cancel: 'http://x.test/no' }))
  await fake.completeCheckout(session.sessionId)
  await drainJobs()
  return { ...f, payment: await GatewayPayment.forTenant(f.t.tenant.id).firstOrFail() }
}

test.group('Payments API: /api/v1/gateway-payments', (group) => {
  group.setup(async () => {
    fake = await startFakeStripe()
    return () => fake.close()
  })

  test('lists and shows payments with fee and net; another tenant\'s id is 404; a viewer cannot refund', async ({ client, assert }) => {
    const f = await paid()
    const other = await paid()
    const token = await tokenFor(f.t.owner)
    const list = await client.get('/api/v1/gateway-payments?status=succeeded').header('host', f.t.host).bearerToken(token)
    list.assertStatus(200)
    const body = list.body()
    assert.lengthOf(body.data, 1)
    assert.deepInclude(body.data[0], { reference: f.payment.reference, amount: f.payment.amount, fee: fakeFee(f.payment.amount), net: f.payment.amount - fakeFee(f.payment.amount) })
    const foreign = await client.get(`/api/v1/gateway-payments/${other.payment.id}`).header('host', f.t.host).bearerToken(token)
    assertProblem(assert, foreign, 404, 'E_NOT_FOUND')
    const viewerToken = await tokenFor(await f.t.user('viewer'))
    const denied = await client.post(`/api/v1/gateway-payments/${f.payment.id}/refunds`).header('host', f.t.host).bearerToken(viewerToken).json({ amount: 100 })
    assert.equal(denied.status(), 403)
    const anon = await client.get('/api/v1/gateway-payments').header('host', f.t.host)
    assert.equal(anon.status(), 401)
  })

  test('a refund through the API reaches Stripe and the ledger once, even when retried with the same Idempotency-Key', async ({ client, assert }) => {
    const f = await paid()
    const token = await tokenFor(f.t.owner)
    const send = () => client.post(`/api/v1/gateway-payments/${f.payment.id}/refunds`).header('host', f.t.host).header('idempotency-key', 'refund-abc-1').bearerToken(token).json({ amount: 1500 })
    const first = await send()
    first.assertStatus(201)
    assert.equal(first.body().data.payment.amount_refunded, 1500)
    const again = await send()
    assert.oneOf(again.status(), [200, 201])
    assert.lengthOf(fake.objectsOf(f.account, 'refund'), 1)
    assert.lengthOf(await db.from('invoicing_payments').where({ tenant_id: f.t.tenant.id, kind: 'refund' }), 1)
    assert.equal((await summaryOf(f.t.tenant.id, f.invoice.id)).balanceDue, 1500)
    const tooMuch = await client.post(`/api/v1/gateway-payments/${f.payment.id}/refunds`).header('host', f.t.host).bearerToken(token).json({ amount: 10_000_000 })
    assertProblem(assert, tooMuch, 422, 'E_REFUND_TOO_LARGE')
  })

  test('the OpenAPI document describes the endpoints', async ({ client, assert }) => {
    const f = await stripeTenant(fake)
    const doc = await client.get('/api/v1/openapi.json').header('host', f.t.host).bearerToken(await tokenFor(f.t.owner))
    doc.assertStatus(200)
    const paths = doc.body().paths
    assert.properties(paths, ['/gateway-payments', '/gateway-payments/{id}', '/gateway-payments/{id}/refunds'])
    assert.property(doc.body().components.schemas, 'GatewayPayment')
  })
})
