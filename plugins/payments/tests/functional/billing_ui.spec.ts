import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { disablePlugin, navIds } from '#tests/helpers/plugins'
import Plan from '#plugins/payments/models/plan'
import Subscription from '#plugins/payments/models/subscription'
import SavedMethod from '#plugins/payments/models/saved_method'
import { ensureStripeCustomer, syncPaymentMethod } from '#plugins/payments/services/billing_customers'
import { createPlan, subscribe } from '#plugins/payments/services/subscriptions'
import { startFakeStripe, type FakeStripe } from '#plugins/payments/tests/helpers/fake_stripe'
import { stripeTenant } from '#plugins/payments/tests/helpers/payments'

let fake: FakeStripe

type Route = { method: 'get' | 'post'; url: string; permission: 'view' | 'manage' | 'methods' }
const ROUTES: Route[] = [
  { method: 'get', url: '/app/payments/plans', permission: 'view' },
  { method: 'post', url: '/app/payments/plans', permission: 'manage' },
  { method: 'post', url: '/app/payments/plans/{plan}/archive', permission: 'manage' },
  { method: 'get', url: '/app/payments/subscriptions', permission: 'view' },
  { method: 'post', url: '/app/payments/subscriptions', permission: 'manage' },
  { method: 'post', url: '/app/payments/subscriptions/{sub}/pause', permission: 'manage' },
  { method: 'post', url: '/app/payments/subscriptions/{sub}/resume', permission: 'manage' },
  { method: 'post', url: '/app/payments/subscriptions/{sub}/cancel', permission: 'manage' },
  { method: 'post', url: '/app/payments/subscriptions/{sub}/change-plan', permission: 'manage' },
  { method: 'get', url: '/app/payments/methods', permission: 'methods' },
  { method: 'post', url: '/app/payments/methods/{method}/detach', permission: 'methods' },
  { method: 'post', url: '/app/payments/methods/{method}/default', permission: 'methods' },
  { method: 'post', url: '/app/payments/clients/{client}/setup-link', permission: 'methods' },
]

async function billingFixture() {
  const f = await stripeTenant(fake)
  const customer = await f.t.run(() => ensureStripeCustomer(f.t.tenant.id, f.client.id))
  const pm = fake.addCard(f.account, customer.stripeCustomerId, { brand: 'visa', last4: '4242', expMonth: 8, expYear: 2030 })
  const method = (await f.t.run(() => syncPaymentMethod(f.t.tenant.id, pm.id)))!
  const plan = await f.t.run(() => createPlan({ name: 'Starter', price: 2900, currency: 'EUR', interval: 'month', interval_count: 1, trial_days: 0, setup_fee: 0 }))
  const sub = await f.t.run(() => subscribe({ client_id: f.client.id, plan_id: plan.id }))
  return { ...f, plan, sub, method, pm }
}

const fill = (url: string, x: Awaited<ReturnType<typeof billingFixture>>) =>
  url.replace('{plan}', String(x.plan.id)).replace('{sub}', String(x.sub.id)).replace('{method}', String(x.method.id)).replace('{client}', String(x.client.id))

test.group('Payments billing: staff pages', (group) => {
  group.setup(async () => {
    fake = await startFakeStripe()
    return () => fake.close()
  })

  test('plans and subscriptions through the forms: create, validate, subscribe, change, pause, cancel; MRR shown', async ({ client, assert }) => {
    const f = await stripeTenant(fake)
    const owner = f.t.owner
    const post = (url: string, form: Record<string, unknown>) => client.post(url).header('host', f.t.host).loginAs(owner).withCsrfToken().form(form).redirects(0)

    const bad = await post('/app/payments/plans', { name: 'Odd', price: 'abc', currency: 'EUR', interval: 'month', interval_count: 1 })
    bad.assertStatus(302)
    assert.lengthOf(await Plan.forTenant(f.t.tenant.id), 0)
    const cadence = await post('/app/payments/plans', { name: 'Odd', price: '10', currency: 'EUR', interval: 'month', interval_count: 2 })
    cadence.assertStatus(302)
    const page = await client.get('/app/payments/plans').header('host', f.t.host).loginAs(owner).withSession(cadence.cookies())
    assert.lengthOf(await Plan.forTenant(f.t.tenant.id), 0)
    page.assertStatus(200)

    ;(await post('/app/payments/plans', { name: 'Starter', price: '29.00', currency: 'EUR', interval: 'month', interval_count: 1, trial_days: 0, setup_fee: '0' })).assertStatus(302)
    ;(await post('/app/payments/plans', { name: 'Team', price: '99,50', currency: 'EUR', interval: 'month', interval_count: 1, trial_days: 0, setup_fee: '0' })).assertStatus(302)
    const plans = await Plan.forTenant(f.t.tenant.id).orderBy('name')
    assert.deepEqual(plans.map((p) => [p.name, p.price]), [['Starter', 2900], ['Team', 9950]])
    const list = await client.get('/app/payments/plans').header('host', f.t.host).loginAs(owner)
    assert.include(list.text(), `data-plan-id="${plans[0].id}"`)

    ;(await post('/app/payments/subscriptions', { client_id: f.client.id, plan_id: plans[0].id })).assertStatus(302)
    const sub = await Subscription.forTenant(f.t.tenant.id).firstOrFail()
    assert.equal(sub.status, 'active')
    const subsPage = await client.get('/app/payments/subscriptions').header('host', f.t.host).loginAs(owner)
    subsPage.assertStatus(200)
    assert.include(subsPage.text(), `data-subscription-id="${sub.id}"`)
    assert.match(subsPage.text(), /data-mrr-total="EUR">[\s\S]*?29\.00/)

    ;(await post(`/app/payments/subscriptions/${sub.id}/change-plan`, { plan_id: plans[1].id })).assertStatus(302)
    await sub.refresh()
    assert.equal(sub.planId, plans[1].id)
    const prorated = await db.from('invoicing_documents').where({ tenant_id: f.t.tenant.id, client_id: f.client.id, type: 'invoice', total: 7050 })
    assert.lengthOf(prorated, 1, 'upgrade on day one: 99.50 − 29.00 invoiced')

    ;(await post(`/app/payments/subscriptions/${sub.id}/pause`, {})).assertStatus(302)
    await sub.refresh()
    assert.equal(sub.status, 'paused')
    ;(await post(`/app/payments/subscriptions/${sub.id}/resume`, {})).assertStatus(302)
    ;(await post(`/app/payments/subscriptions/${sub.id}/cancel`, {})).assertStatus(302)
    await sub.refresh()
    assert.equal(sub.status, 'canceled', 'without the checkbox: now')
    const again = await post(`/app/payments/subscriptions/${sub.id}/pause`, {})
    again.assertStatus(302)
    await sub.refresh()
    assert.equal(sub.status, 'canceled')

    const dashboard = await client.get('/app').header('host', f.t.host).loginAs(owner)
    assert.includeMembers(navIds(dashboard.text()), ['payments.subscriptions', 'payments.plans', 'payments.methods'])
  })

  test('saved methods: listed per client, made default, detached at Stripe; setup link mailed', async ({ client, assert }) => {
    const x = await billingFixture()
    const second = fake.addCard(x.account, x.pm.customer, { brand: 'amex', last4: '0005', expMonth: 1, expYear: 2032 })
    const other = (await x.t.run(() => syncPaymentMethod(x.t.tenant.id, second.id)))!
    const page = await client.get(`/app/payments/methods?client_id=${x.client.id}`).header('host', x.t.host).loginAs(x.t.owner)
    page.assertStatus(200)
    assert.include(page.text(), `data-method-id="${x.method.id}"`)
    assert.include(page.text(), '4242')
    assert.include(page.text(), '08/2030')

    const post = (url: string) => client.post(url).header('host', x.t.host).loginAs(x.t.owner).withCsrfToken().redirects(0)
    ;(await post(`/app/payments/methods/${other.id}/default`)).assertStatus(302)
    assert.isTrue((await SavedMethod.forTenant(x.t.tenant.id).where('id', other.id).firstOrFail()).isDefault)
    assert.isFalse((await SavedMethod.forTenant(x.t.tenant.id).where('id', x.method.id).firstOrFail()).isDefault)

    ;(await post(`/app/payments/methods/${other.id}/detach`)).assertStatus(302)
    assert.isNull(x.account.objects.get(second.id)!.customer, 'detached at Stripe')
    const gone = await SavedMethod.forTenant(x.t.tenant.id).where('id', other.id).firstOrFail()
    assert.isNotNull(gone.detachedAt)
    assert.isTrue((await SavedMethod.forTenant(x.t.tenant.id).where('id', x.method.id).firstOrFail()).isDefault, 'the remaining card becomes the default')

    ;(await post(`/app/payments/clients/${x.client.id}/setup-link`)).assertStatus(302)
    const mails = await db.from('mail_messages').where({ tenant_id: x.t.tenant.id }).where('subject', 'like', 'Save a card%')
    assert.lengthOf(mails, 1)
    const token = (await db.from('payments_customers').where({ tenant_id: x.t.tenant.id, client_id: x.client.id }).first()).setup_token
    assert.include(mails[0].data, `/p/payments/cards/${token}`)
  })

  test('access: signed out → sign-in, viewer read-only and no cards, other tenant 404, plugin disabled 404', async ({ client, assert }) => {
    const x = await billingFixture()
    const y = await billingFixture()
    const viewer = await x.t.user('viewer')
    const staff = await x.t.user('staff')
    for (const route of ROUTES) {
      const url = fill(route.url, x)
      const anon = await client[route.method](url).header('host', x.t.host).withCsrfToken().redirects(0)
      assert.equal(anon.status(), 302, `${route.method} ${url} signed out`)
      assert.match(anon.header('location') ?? '', /login|sign-in/)
      const asViewer = await client[route.method](url).header('host', x.t.host).loginAs(viewer).withCsrfToken().redirects(0)
      if (route.permission === 'view') assert.equal(asViewer.status(), 200, `${route.method} ${url} as viewer`)
      else assert.equal(asViewer.status(), 403, `${route.method} ${url} as viewer`)
      if (route.permission !== 'view') {
        const asStaff = await client[route.method](url).header('host', x.t.host).loginAs(staff).withCsrfToken().redirects(0)
        assert.equal(asStaff.status(), 403, `${route.method} ${url} as staff`)
      }
      if (route.url.includes('{')) {
        const foreign = await client[route.method](fill(route.url, y)).header('host', x.t.host).loginAs(x.t.owner).withCsrfToken().redirects(0)
        assert.equal(foreign.status(), 404, `${route.method} ${route.url} with another tenant's id`)
      }
    }
    const foreignClient = await client.get(`/app/payments/methods?client_id=${y.client.id}`).header('host', x.t.host).loginAs(x.t.owner)
    foreignClient.assertStatus(404)
    assert.equal((await Subscription.forTenant(y.t.tenant.id).where('id', y.sub.id).firstOrFail()).status, 'active', 'nothing happened to the other tenant')

    await disablePlugin(x.t, 'payments')
    for (const route of ROUTES) {
      const res = await client[route.method](fill(route.url, x)).header('host', x.t.host).loginAs(x.t.owner).withCsrfToken().redirects(0)
      assert.equal(res.status(), 404, `${route.method} ${route.url} with the plugin disabled`)
    }
    const row = await x.t.run(async () => (await import('#plugins/payments/models/billing_customer')).default.query().firstOrFail())
    ;(await client.get(`/p/payments/cards/${row.setupToken}`).header('host', x.t.host)).assertStatus(404)
    const dashboard = await client.get('/app').header('host', x.t.host).loginAs(x.t.owner)
    assert.notInclude(navIds(dashboard.text()).join(','), 'payments.')
  })
})
