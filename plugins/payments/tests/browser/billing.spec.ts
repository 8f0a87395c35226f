import { test } from '@japa/runner'
import { assertAccessible, frontEndReady, overflowsX, screenshot, signIn } from '#tests/helpers/browser'
import Plan from '#plugins/payments/models/plan'
import Subscription from '#plugins/payments/models/subscription'
import { customerRow, ensureStripeCustomer, syncPaymentMethod } from '#plugins/payments/services/billing_customers'
import { startFakeStripe, type FakeStripe } from '#plugins/payments/tests/helpers/fake_stripe'
import { stripeTenant } from '#plugins/payments/tests/helpers/payments'

let fake: FakeStripe

test.group('Browser: payments billing', (group) => {
  group.setup(async () => {
    fake = await startFakeStripe()
    return () => fake.close()
  })

  test('create a plan, subscribe a client, see MRR; saved cards; the client page to save a card', async ({ visit, assert }) => {
    const f = await stripeTenant(fake)
    const customer = await f.t.run(() => ensureStripeCustomer(f.t.tenant.id, f.client.id))
    const pm = fake.addCard(f.account, customer.stripeCustomerId, { brand: 'visa', last4: '4242', expMonth: 9, expYear: 2030 })
    await f.t.run(() => syncPaymentMethod(f.t.tenant.id, pm.id))

    const page = await signIn(visit, f.t, { path: '/app/payments/plans' })
    await frontEndReady(page)
    await page.getByLabel('Name', { exact: true }).fill('Retainer')
    await page.getByLabel('Price', { exact: true }).fill('abc')
    await page.getByRole('button', { name: 'Create plan' }).click()
    await page.locator('#price-error').waitFor()
    await assertAccessible(page, assert, 'plan form with an error')
    await screenshot(page, 'payments-billing-plan-error')
    await page.getByLabel('Name', { exact: true }).fill('Retainer')
    await page.getByLabel('Price', { exact: true }).fill('490.00')
    await page.getByRole('button', { name: 'Create plan' }).click()
    await page.locator('#payments-plans-list tr[data-plan-id]').first().waitFor()
    const plan = await Plan.forTenant(f.t.tenant.id).firstOrFail()
    assert.equal(plan.price, 49000)
    await screenshot(page, 'payments-billing-plans')

    await page.goto(page.url().replace('/plans', '/subscriptions'))
    await frontEndReady(page)
    await page.getByRole('button', { name: 'Subscribe' }).click()
    await page.locator('#payments-subscriptions-list tr[data-subscription-id]').first().waitFor()
    assert.equal((await Subscription.forTenant(f.t.tenant.id).firstOrFail()).status, 'active')
    assert.include(await page.locator('#payments-subscriptions-mrr').innerText(), '490.00')
    await assertAccessible(page, assert, 'subscriptions page')
    await screenshot(page, 'payments-billing-subscriptions')
    await page.setViewportSize({ width: 360, height: 800 })
    assert.isFalse(await overflowsX(page), 'no page-wide horizontal scroll at 360 px')
    await screenshot(page, 'payments-billing-subscriptions-360')
    await page.setViewportSize({ width: 1280, height: 800 })

    await page.goto(page.url().replace('/subscriptions', `/methods?client_id=${f.client.id}`))
    await page.locator('#payments-methods-list tr[data-method-id]').first().waitFor()
    await assertAccessible(page, assert, 'saved cards')
    await screenshot(page, 'payments-billing-methods')

    const row = await f.t.run(() => customerRow(f.t.tenant.id, f.client.id))
    await page.goto(page.url().replace(/\/app\/payments\/methods.*$/, `/p/payments/cards/${row.setupToken}`))
    await page.locator('[data-testid="saved-cards"]').waitFor()
    await assertAccessible(page, assert, 'public save-a-card page')
    await screenshot(page, 'payments-billing-public-cards')
  })
})
