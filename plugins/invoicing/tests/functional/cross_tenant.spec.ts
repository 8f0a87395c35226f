/*
| Every documents UI route: signed out → sign-in page, a role without the permission → 403,
| another tenant's ids → 404.
*/
import { test } from '@japa/runner'
import { ROUTES, fixture, issued } from '#plugins/invoicing/tests/helpers/documents_ui'
import { startBulk } from '#plugins/invoicing/services/bulk_documents'

async function world() {
  const f = await fixture()
  const invoice = await issued(f)
  const quote = await issued(f, 'quote', { validUntil: '2099-12-31' })
  const op = await f.t.run(() => startBulk(f.t.tenant.id, { userId: f.t.owner.id, documentType: 'invoice', action: 'csv', scope: { ids: [invoice.id] } }))
  const url = (u: string) => u.replace('{id}', String(invoice.id)).replace('{quote}', String(quote.id)).replace('{op}', String(op.id))
  return { f, invoice, quote, op, url }
}

test.group('Invoicing UI: authorization', () => {
  test('signed out: every route goes to the sign-in page', async ({ client, assert }) => {
    const { f, url } = await world()
    for (const route of ROUTES) {
      const response = await client[route.method](url(route.url)).header('host', f.t.host).withCsrfToken().redirects(0)
      assert.equal(response.status(), 302, `${route.method} ${route.url}`)
      assert.match(response.header('location') ?? '', /^\/login/, route.url)
    }
  })

  test('a viewer may look but not change: 403 on every manage, issue and payment route', async ({ client, assert }) => {
    const { f, url } = await world()
    const viewer = await f.t.user('viewer')
    for (const route of ROUTES.filter((r) => r.permission !== 'view')) {
      const response = await client[route.method](url(route.url)).header('host', f.t.host).loginAs(viewer).withCsrfToken().redirects(0)
      assert.equal(response.status(), 403, `${route.method} ${route.url}`)
    }
    const staff = await f.t.user('staff')
    for (const route of ROUTES.filter((r) => r.permission === 'issue' || r.permission === 'pay')) {
      const response = await client[route.method](url(route.url)).header('host', f.t.host).loginAs(staff).withCsrfToken().redirects(0)
      assert.equal(response.status(), 403, `staff ${route.method} ${route.url}`)
    }
    const page = await client.get(url('/app/invoicing/invoices/{id}')).header('host', f.t.host).loginAs(viewer)
    page.assertStatus(200)
    assert.notInclude(page.text(), '/finalize"')
    assert.notInclude(page.text(), 'id="invoicing-payment-form"')
  })

  test('another tenant\'s ids answer 404 on every route that takes one', async ({ client, assert }) => {
    const { url } = await world()
    const other = await fixture()
    for (const route of ROUTES.filter((r) => /\{(id|quote|op)\}/.test(r.url))) {
      const response = await client[route.method](url(route.url)).header('host', other.t.host).loginAs(other.t.owner).withCsrfToken().redirects(0)
      assert.equal(response.status(), 404, `${route.method} ${route.url}`)
    }
  })
})
