import { test } from '@japa/runner'
import StripeAccount from '#plugins/payments/models/stripe_account'
import StripeEvent from '#plugins/payments/models/stripe_event'
import { startFakeStripe, type FakeStripe } from '#plugins/payments/tests/helpers/fake_stripe'
import { stripeTenant } from '#plugins/payments/tests/helpers/payments'
import { publicPath } from '#plugins/invoicing/services/documents_tokens'
import { setPluginEnabled } from '#services/settings_service'

let fake: FakeStripe

type Route = { method: 'get' | 'post'; url: string; permission: string }
const ROUTES: Route[] = [
  { method: 'get', url: '/app/payments/settings', permission: 'payments.settings.manage' },
  { method: 'post', url: '/app/payments/settings', permission: 'payments.settings.manage' },
  { method: 'post', url: '/app/payments/settings/check', permission: 'payments.settings.manage' },
  { method: 'get', url: '/app/payments/events', permission: 'payments.events.view' },
  { method: 'get', url: '/app/payments/events/{event}', permission: 'payments.events.view' },
  { method: 'post', url: '/app/payments/events/{event}/reprocess', permission: 'payments.events.manage' },
  { method: 'get', url: '/app/payments/payments', permission: 'payments.payments.view' },
  { method: 'get', url: '/app/payments/payments.csv', permission: 'payments.payments.view' },
  { method: 'post', url: '/app/payments/payments/{payment}/refund', permission: 'payments.payments.refund' },
]

/** viewer: may see payments, nothing else */
const VIEWER_ALLOWED = new Set(['payments.payments.view'])

async function withEvent(f: Awaited<ReturnType<typeof stripeTenant>>) {
  const evt = fake.event(f.account, 'setup_intent.succeeded', { id: 'seti_1', object: 'setup_intent', customer: 'cus_1' })
  await fake.deliver(f.account, evt)
  return StripeEvent.forTenant(f.t.tenant.id).firstOrFail()
}

const url = (r: Route, ids: { event: number; payment: number }) => r.url.replace('{event}', String(ids.event)).replace('{payment}', String(ids.payment))

test.group('Payments: access', (group) => {
  group.setup(async () => {
    fake = await startFakeStripe()
    return () => fake.close()
  })

  test('signed out → sign-in; a role without the permission → 403; another tenant\'s ids → 404', async ({ client, assert }) => {
    const f = await stripeTenant(fake)
    const other = await stripeTenant(fake)
    const event = await withEvent(f)
    const otherEvent = await withEvent(other)
    const viewer = await f.t.user('viewer')
    for (const route of ROUTES) {
      const path = url(route, { event: event.id, payment: 1 })
      const anon = await client[route.method](path).header('host', f.t.host).withCsrfToken().redirects(0)
      assert.oneOf(anon.status(), [302, 401], `${route.method} ${path} signed out`)
      if (anon.status() === 302) assert.match(anon.header('location') ?? '', /login|sign-in/)
      if (!VIEWER_ALLOWED.has(route.permission)) {
        const denied = await client[route.method](path).header('host', f.t.host).loginAs(viewer).withCsrfToken().redirects(0)
        assert.equal(denied.status(), 403, `${route.method} ${path} as viewer`)
      }
    }
    const foreign = await client.get(`/app/payments/events/${otherEvent.id}`).header('host', f.t.host).loginAs(f.t.owner)
    foreign.assertStatus(404)
    const foreignReprocess = await client.post(`/app/payments/events/${otherEvent.id}/reprocess`).header('host', f.t.host).loginAs(f.t.owner).withCsrfToken().redirects(0)
    foreignReprocess.assertStatus(404)
    const own = await client.get(`/app/payments/events/${event.id}`).header('host', f.t.host).loginAs(f.t.owner)
    own.assertStatus(200)
    assert.include(own.text(), 'seti_1')
    const list = await client.get('/app/payments/events').header('host', f.t.host).loginAs(f.t.owner)
    assert.include(list.text(), event.eventId)
    assert.notInclude(list.text(), otherEvent.eventId)
  })

  test('plugin disabled for the tenant: pages, webhooks and the Pay button are gone', async ({ client, assert }) => {
    const f = await stripeTenant(fake)
    await f.t.run(() => setPluginEnabled(f.t.tenant, 'payments', false))
    for (const route of ROUTES) {
      const res = await client[route.method](url(route, { event: 1, payment: 1 })).header('host', f.t.host).loginAs(f.t.owner).withCsrfToken().redirects(0)
      assert.equal(res.status(), 404, `${route.method} ${route.url}`)
    }
    const hook = await fake.deliver(f.account, fake.event(f.account, 'payment_intent.succeeded', { id: 'pi_1', object: 'payment_intent' }))
    assert.equal(hook.status, 404)
    assert.lengthOf(await StripeEvent.forTenant(f.t.tenant.id), 0)
    const page = await client.get(publicPath(f.invoice)!).header('host', f.t.host)
    page.assertStatus(200)
    assert.notInclude(page.text(), 'data-testid="pay-online"')
    const pay = await client.post(`/p/payments/invoices/${publicPath(f.invoice)!.split('/').pop()}/pay`).header('host', f.t.host).withCsrfToken().redirects(0)
    pay.assertStatus(404)
  })
})

test.group('Payments: Stripe settings page', (group) => {
  group.setup(async () => {
    fake = await startFakeStripe()
    return () => fake.close()
  })

  test('keys are stored encrypted, never shown back, and the connection check names the account', async ({ client, assert }) => {
    const f = await stripeTenant(fake, { configure: false })
    const save = await client.post('/app/payments/settings').header('host', f.t.host).loginAs(f.t.owner).withCsrfToken()
      .form({ publishable_key: 'pk_test_123abc', secret_key: f.account.secretKey, webhook_secret: f.account.webhookSecret }).redirects(0)
    save.assertStatus(302)
    const row = await StripeAccount.forTenant(f.t.tenant.id).firstOrFail()
    assert.notInclude(row.secretKeyEncrypted!, f.account.secretKey)
    assert.notInclude(row.webhookSecretEncrypted!, f.account.webhookSecret)
    assert.equal(row.secretKey, f.account.secretKey)
    assert.equal(row.webhookSecret, f.account.webhookSecret)

    const page = await client.get('/app/payments/settings').header('host', f.t.host).loginAs(f.t.owner)
    page.assertStatus(200)
    assert.notInclude(page.text(), f.account.secretKey)
    assert.notInclude(page.text(), f.account.webhookSecret)
    assert.include(page.text(), f.account.secretKey.slice(-4))
    assert.include(page.text(), `https://${f.t.host}/webhooks/stripe`)

    /* blank secrets keep the stored ones */
    await client.post('/app/payments/settings').header('host', f.t.host).loginAs(f.t.owner).withCsrfToken().form({ publishable_key: 'pk_test_999', secret_key: '', webhook_secret: '' }).redirects(0)
    await row.refresh()
    assert.equal(row.secretKey, f.account.secretKey)
    assert.equal(row.publishableKey, 'pk_test_999')

    const check = await client.post('/app/payments/settings/check').header('host', f.t.host).loginAs(f.t.owner).withCsrfToken().redirects(0)
    check.assertFlashMessage('success', `Connected to Stripe account ${f.account.name}.`)
    await row.refresh()
    assert.equal(row.checkStatus, 'ok')
    assert.equal(row.accountId, f.account.id)
    assert.isNotNull(row.checkedAt)
  })

  test('malformed keys are refused with field errors; a key Stripe rejects fails the check', async ({ client, assert }) => {
    const f = await stripeTenant(fake, { configure: false })
    const bad = await client.post('/app/payments/settings').header('host', f.t.host).loginAs(f.t.owner).withCsrfToken()
      .form({ publishable_key: 'nope', secret_key: 'pk_test_wrongkind', webhook_secret: 'secret' }).redirects(0)
    bad.assertStatus(302)
    const errors = bad.flashMessages().inputErrorsBag
    assert.properties(errors, ['publishable_key', 'secret_key', 'webhook_secret'])
    assert.isNull(await StripeAccount.forTenant(f.t.tenant.id).first())

    await client.post('/app/payments/settings').header('host', f.t.host).loginAs(f.t.owner).withCsrfToken().form({ secret_key: 'sk_test_unknownToTheFake' }).redirects(0)
    const check = await client.post('/app/payments/settings/check').header('host', f.t.host).loginAs(f.t.owner).withCsrfToken().redirects(0)
    check.assertStatus(302)
    const row = await StripeAccount.forTenant(f.t.tenant.id).firstOrFail()
    assert.equal(row.checkStatus, 'failed')
    assert.include(row.checkError!, 'Invalid API Key')
  })
})
