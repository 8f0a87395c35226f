/*
| Settings → Webhooks and /api/v1/webhooks: the forms (with and without bad input), the API, and
| authorization of every route (signed out, a role without kernel.webhooks.manage, another tenant).
*/
import { test } from '@japa/runner'
import webhooksConfig from '#config/webhooks'
import WebhookEndpoint from '#models/webhook_endpoint'
import WebhookDelivery from '#models/webhook_delivery'
import { makeTenant, type TestTenant } from '#tests/helpers/tenants'
import { assertProblem, tokenFor } from '#tests/helpers/api'
import { createEndpoint, emit } from '#services/webhook_service'

async function seed(t: TestTenant) {
  webhooksConfig.allowPrivateNetworks = true
  const endpoint = await t.run(() => createEndpoint({ url: 'http://127.0.0.1:9/hook', events: ['user.created'] }))
  const [delivery] = await emit(t.tenant.id, 'user.created', { id: 1 })
  delivery.status = 'failed'
  await delivery.save()
  return { endpoint, delivery }
}

test.group('Webhooks: settings pages', (group) => {
  group.each.teardown(() => {
    webhooksConfig.allowPrivateNetworks = false
  })

  test('an admin adds an endpoint through the form and sees its secret and log', async ({ client, assert }) => {
    const t = await makeTenant()
    const admin = await t.user('admin')
    webhooksConfig.allowPrivateNetworks = true
    const created = await client
      .post('/app/settings/webhooks')
      .header('host', t.host)
      .loginAs(admin)
      .withCsrfToken()
      .form({ url: 'http://127.0.0.1:9/hook', description: 'ERP', 'events[]': 'user.created', enabled: 'on' })
      .redirects(0)
    created.assertStatus(302)
    const endpoint = await WebhookEndpoint.forTenant(t.tenant.id).firstOrFail()
    assert.equal(created.header('location'), `/app/settings/webhooks/${endpoint.id}`)
    assert.deepEqual(endpoint.events, ['user.created'])
    assert.isTrue(endpoint.enabled)

    const page = await client.get(`/app/settings/webhooks/${endpoint.id}`).header('host', t.host).loginAs(admin)
    page.assertStatus(200)
    page.assertTextIncludes(endpoint.secret)
    page.assertTextIncludes('id="kernel-webhooks-deliveries"')

    const index = await client.get('/app/settings/webhooks').header('host', t.host).loginAs(admin)
    index.assertTextIncludes('http://127.0.0.1:9/hook')
    index.assertTextIncludes('data-section-id="kernel.webhooks"')

    const fragment = await client
      .get(`/app/settings/webhooks/${endpoint.id}`)
      .header('host', t.host)
      .header('hx-request', 'true')
      .loginAs(admin)
    assert.match(fragment.text().trim(), /^<div id="kernel-webhooks-deliveries">/)
  })

  test('{$self}')
    .with(['bad URL gives a field error', 'a private address gives a field error', 'no event gives a field error'])
    .run(async ({ client, assert }, name) => {
      const t = await makeTenant()
      const form: Record<string, string> = { url: 'https://example.invalid/hook', 'events[]': 'user.created' }
      if (name.startsWith('bad')) form.url = 'not a url'
      if (name.startsWith('a private')) form.url = 'http://127.0.0.1/hook'
      if (name.startsWith('no event')) {
        form.url = 'http://127.0.0.1/hook'
        delete form['events[]']
      }
      const response = await client
        .post('/app/settings/webhooks')
        .header('host', t.host)
        .loginAs(t.owner)
        .withCsrfToken()
        .form(form)
        .redirects(0)
      response.assertStatus(302)
      assert.equal(response.header('location'), '/app/settings/webhooks/new')
      const flash = response.flashMessages() as any
      const errors = { ...(flash.inputErrorsBag ?? {}), ...(flash.errorsBag ?? {}) }
      const field = name.startsWith('no event') ? 'events' : 'url'
      assert.property(errors, field)
      if (name.startsWith('a private')) assert.include(String(errors.url), 'private or local network')
      assert.lengthOf(await WebhookEndpoint.forTenant(t.tenant.id), 0)
    })

  test('editing, rotating the secret, test events and deleting', async ({ client, assert }) => {
    const t = await makeTenant()
    const { endpoint } = await seed(t)
    const base = `/app/settings/webhooks/${endpoint.id}`
    const post = (url: string, form: Record<string, string> = {}) =>
      client.post(url).header('host', t.host).loginAs(t.owner).withCsrfToken().form(form).redirects(0)

    ;(await post(base, { url: 'http://127.0.0.1:10/hook', 'events[]': '*' })).assertStatus(302)
    await endpoint.refresh()
    assert.equal(endpoint.url, 'http://127.0.0.1:10/hook')
    assert.deepEqual(endpoint.events, ['*'])
    assert.isFalse(endpoint.enabled)

    const secret = endpoint.secret
    ;(await post(`${base}/rotate-secret`)).assertStatus(302)
    await endpoint.refresh()
    assert.notEqual(endpoint.secret, secret)

    const disabledTest = await post(`${base}/test`)
    assert.equal(disabledTest.flashMessages().error, 'The endpoint is paused, so no test event was sent.')

    ;(await post(`${base}/delete`)).assertStatus(302)
    assert.lengthOf(await WebhookEndpoint.forTenant(t.tenant.id), 0)
  })
})

test.group('Webhooks: API', (group) => {
  group.each.teardown(() => {
    webhooksConfig.allowPrivateNetworks = false
  })

  test('create returns the secret once; list, update, deliveries and replay', async ({ client, assert }) => {
    const t = await makeTenant()
    const token = await tokenFor(t.owner)
    webhooksConfig.allowPrivateNetworks = true
    const created = await client
      .post('/api/v1/webhooks')
      .header('host', t.host)
      .bearerToken(token)
      .json({ url: 'http://127.0.0.1:9/hook', events: ['user.created'] })
    created.assertStatus(201)
    const id = created.body().data.id
    assert.match(created.body().data.secret, /^whsec_/)

    const shown = await client.get(`/api/v1/webhooks/${id}`).header('host', t.host).bearerToken(token)
    assert.notProperty(shown.body().data, 'secret')

    const bad = await client
      .patch(`/api/v1/webhooks/${id}`)
      .header('host', t.host)
      .bearerToken(token)
      .json({ events: ['no.such_event'] })
    assertProblem(assert, bad, 422, 'E_WEBHOOK_UNKNOWN_EVENTS')

    webhooksConfig.allowPrivateNetworks = false
    const blocked = await client
      .post('/api/v1/webhooks')
      .header('host', t.host)
      .bearerToken(token)
      .json({ url: 'http://10.0.0.8/hook', events: ['user.created'] })
    assertProblem(assert, blocked, 422, 'E_ADDRESS_BLOCKED')

    const [delivery] = await emit(t.tenant.id, 'user.created', { id: 9 })
    const list = await client.get(`/api/v1/webhooks/${id}/deliveries`).header('host', t.host).bearerToken(token)
    assert.deepEqual(list.body().data.map((d: any) => d.message_id), [delivery.messageId])
    const pending = await client
      .post(`/api/v1/webhooks/${id}/deliveries/${delivery.id}/replay`)
      .header('host', t.host)
      .bearerToken(token)
    assertProblem(assert, pending, 409, 'E_WEBHOOK_DELIVERY_PENDING')

    const detail = await client.get(`/api/v1/webhooks/${id}/deliveries/${delivery.id}`).header('host', t.host).bearerToken(token)
    assert.deepEqual(detail.body().data.payload.data, { id: 9 })

    const events = await client.get('/api/v1/webhooks/events').header('host', t.host).bearerToken(token)
    assert.include(events.body().data.map((e: any) => e.type), 'user.created')
  })
})

test.group('Platform services: OpenAPI', () => {
  test('the document lists the webhook, file and notification endpoints, and every $ref resolves', async ({ client, assert }) => {
    const t = await makeTenant()
    const response = await client.get('/api/v1/openapi.json').header('host', t.host)
    response.assertStatus(200)
    const doc = response.body()
    for (const path of ['/webhooks', '/webhooks/{id}/deliveries/{deliveryId}/replay', '/files', '/files/{id}/content', '/notifications']) {
      assert.property(doc.paths, path)
    }
    assert.deepInclude(doc.paths['/webhooks'].post.parameters, { $ref: '#/components/parameters/IdempotencyKey' })
    const refs = JSON.stringify(doc).match(/"\$ref":"#\/components\/[^"]+"/g) ?? []
    for (const ref of new Set(refs)) {
      const [, kind, name] = ref.slice(8, -1).split('/').slice(1)
      assert.property(doc.components[kind] ?? {}, name, ref)
    }
  })
})

interface RouteCase {
  method: 'get' | 'post' | 'patch' | 'delete'
  url: (ids: { endpoint: number; delivery: number }) => string
}

const WEB: Record<string, RouteCase> = {
  'GET index': { method: 'get', url: () => '/app/settings/webhooks' },
  'GET new': { method: 'get', url: () => '/app/settings/webhooks/new' },
  'POST store': { method: 'post', url: () => '/app/settings/webhooks' },
  'GET show': { method: 'get', url: (i) => `/app/settings/webhooks/${i.endpoint}` },
  'GET edit': { method: 'get', url: (i) => `/app/settings/webhooks/${i.endpoint}/edit` },
  'POST update': { method: 'post', url: (i) => `/app/settings/webhooks/${i.endpoint}` },
  'POST delete': { method: 'post', url: (i) => `/app/settings/webhooks/${i.endpoint}/delete` },
  'POST rotate': { method: 'post', url: (i) => `/app/settings/webhooks/${i.endpoint}/rotate-secret` },
  'POST test': { method: 'post', url: (i) => `/app/settings/webhooks/${i.endpoint}/test` },
  'GET delivery': { method: 'get', url: (i) => `/app/settings/webhooks/${i.endpoint}/deliveries/${i.delivery}` },
  'POST replay': { method: 'post', url: (i) => `/app/settings/webhooks/${i.endpoint}/deliveries/${i.delivery}/replay` },
}

const API: Record<string, RouteCase> = {
  'GET /api events': { method: 'get', url: () => '/api/v1/webhooks/events' },
  'GET /api index': { method: 'get', url: () => '/api/v1/webhooks' },
  'POST /api store': { method: 'post', url: () => '/api/v1/webhooks' },
  'GET /api show': { method: 'get', url: (i) => `/api/v1/webhooks/${i.endpoint}` },
  'PATCH /api update': { method: 'patch', url: (i) => `/api/v1/webhooks/${i.endpoint}` },
  'DELETE /api destroy': { method: 'delete', url: (i) => `/api/v1/webhooks/${i.endpoint}` },
  'POST /api rotate': { method: 'post', url: (i) => `/api/v1/webhooks/${i.endpoint}/rotate-secret` },
  'POST /api test': { method: 'post', url: (i) => `/api/v1/webhooks/${i.endpoint}/test` },
  'GET /api deliveries': { method: 'get', url: (i) => `/api/v1/webhooks/${i.endpoint}/deliveries` },
  'GET /api delivery': { method: 'get', url: (i) => `/api/v1/webhooks/${i.endpoint}/deliveries/${i.delivery}` },
  'POST /api replay': { method: 'post', url: (i) => `/api/v1/webhooks/${i.endpoint}/deliveries/${i.delivery}/replay` },
}

function idsOf(seeded: { endpoint: WebhookEndpoint; delivery: WebhookDelivery }) {
  return { endpoint: seeded.endpoint.id, delivery: seeded.delivery.id }
}

test.group('Webhooks: authorization', (group) => {
  group.each.teardown(() => {
    webhooksConfig.allowPrivateNetworks = false
  })

  test('{$self}: signed out goes to the sign-in page')
    .with(Object.keys(WEB))
    .run(async ({ client, assert }, name) => {
      const t = await makeTenant()
      const url = WEB[name].url(idsOf(await seed(t)))
      const response = await client[WEB[name].method](url).header('host', t.host).withCsrfToken().redirects(0)
      response.assertStatus(302)
      assert.equal(response.header('location'), `/login?next=${encodeURIComponent(url)}`)
    })

  test('{$self}: staff without kernel.webhooks.manage gets 403')
    .with(Object.keys(WEB))
    .run(async ({ client, assert }, name) => {
      const t = await makeTenant()
      const seeded = await seed(t)
      const response = await client[WEB[name].method](WEB[name].url(idsOf(seeded)))
        .header('host', t.host)
        .loginAs(await t.user('staff'))
        .withCsrfToken()
        .redirects(0)
      response.assertStatus(403)
      assert.lengthOf(await WebhookEndpoint.forTenant(t.tenant.id), 1)
    })

  test('{$self}: another tenant\'s ids answer 404')
    .with(Object.keys(WEB).filter((k) => WEB[k].url({ endpoint: 1, delivery: 1 }).match(/\/\d/)))
    .run(async ({ client, assert }, name) => {
      const mine = await makeTenant()
      const other = await makeTenant()
      const theirs = await seed(other)
      const response = await client[WEB[name].method](WEB[name].url(idsOf(theirs)))
        .header('host', mine.host)
        .loginAs(mine.owner)
        .withCsrfToken()
        .redirects(0)
      response.assertStatus(404)
      assert.notInclude(response.text(), theirs.endpoint.secret)
      assert.lengthOf(await WebhookEndpoint.forTenant(other.tenant.id), 1)
    })

  test('{$self}: without a token answers 401')
    .with(Object.keys(API))
    .run(async ({ client, assert }, name) => {
      const t = await makeTenant()
      const response = await client[API[name].method](API[name].url(idsOf(await seed(t)))).header('host', t.host)
      assertProblem(assert, response, 401, 'E_UNAUTHORIZED')
    })

  test('{$self}: a staff token answers 403')
    .with(Object.keys(API))
    .run(async ({ client, assert }, name) => {
      const t = await makeTenant()
      const response = await client[API[name].method](API[name].url(idsOf(await seed(t))))
        .header('host', t.host)
        .bearerToken(await tokenFor(await t.user('staff')))
      assertProblem(assert, response, 403, 'E_FORBIDDEN')
    })

  test('{$self}: another tenant\'s ids answer 404')
    .with(Object.keys(API).filter((k) => API[k].url({ endpoint: 1, delivery: 1 }).match(/\/\d/)))
    .run(async ({ client, assert }, name) => {
      const mine = await makeTenant()
      const other = await makeTenant()
      const theirs = await seed(other)
      const response = await client[API[name].method](API[name].url(idsOf(theirs)))
        .header('host', mine.host)
        .bearerToken(await tokenFor(mine.owner))
      assertProblem(assert, response, 404, 'E_NOT_FOUND')
      assert.lengthOf(await WebhookEndpoint.forTenant(other.tenant.id), 1)
    })
})
