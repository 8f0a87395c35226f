/*
| Every route of the parties area (clients, contacts, import, merge, products, tax rates, recurring invoices; pages
| and API): who may use it, what another tenant's ids answer, and what a tenant without the
| plugin sees.
*/
import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import { makeTenant, type TestTenant } from '#tests/helpers/tenants'
import { tokenFor } from '#tests/helpers/api'
import { navIds, disablePluginAndDependents } from '#tests/helpers/plugins'
import hooks from '#kernel/hooks'
import TaxRate from '../../models/tax_rate.js'
import { addContact, createClient } from '../../services/clients.js'
import { createProduct } from '../../services/catalogue.js'
import { createProfile } from '../../services/recurring.js'

type Perm = 'clients.view' | 'clients.manage' | 'catalogue.view' | 'catalogue.manage' | 'documents.view' | 'documents.manage'
interface Ids {
  client: number
  other: number
  contact: number
  product: number
  taxRate: number
  profile: number
}
interface Route {
  method: 'get' | 'post' | 'patch' | 'delete'
  path: (ids: Ids) => string
  perm: Perm
  /** takes an id of the tenant's data (cross-tenant ids must answer 404) */
  scoped?: boolean
  body?: (ids: Ids) => Record<string, unknown>
}

const PAGES: Route[] = [
  { method: 'get', path: () => '/app/invoicing/clients', perm: 'clients.view' },
  { method: 'get', path: () => '/app/invoicing/clients/new', perm: 'clients.manage' },
  { method: 'post', path: () => '/app/invoicing/clients', perm: 'clients.manage', body: () => ({ kind: 'company', name: 'X', currency: 'EUR', language: 'en' }) },
  { method: 'get', path: () => '/app/invoicing/clients/import', perm: 'clients.manage' },
  { method: 'post', path: () => '/app/invoicing/clients/import/preview', perm: 'clients.manage', body: () => ({ csv: 'name\nX' }) },
  { method: 'post', path: () => '/app/invoicing/clients/import', perm: 'clients.manage', body: () => ({ csv: 'name\nImported' }) },
  { method: 'get', path: () => '/app/invoicing/clients/merge', perm: 'clients.manage' },
  { method: 'post', path: () => '/app/invoicing/clients/merge', perm: 'clients.manage', scoped: true, body: (i) => ({ survivor_id: i.client, duplicate_id: i.other }) },
  { method: 'get', path: (i) => `/app/invoicing/clients/${i.client}`, perm: 'clients.view', scoped: true },
  { method: 'get', path: (i) => `/app/invoicing/clients/${i.client}/edit`, perm: 'clients.manage', scoped: true },
  { method: 'post', path: (i) => `/app/invoicing/clients/${i.client}`, perm: 'clients.manage', scoped: true, body: () => ({ kind: 'company', name: 'Y', currency: 'EUR', language: 'en' }) },
  { method: 'post', path: (i) => `/app/invoicing/clients/${i.client}/archive`, perm: 'clients.manage', scoped: true },
  { method: 'post', path: (i) => `/app/invoicing/clients/${i.client}/restore`, perm: 'clients.manage', scoped: true },
  { method: 'post', path: (i) => `/app/invoicing/clients/${i.client}/contacts`, perm: 'clients.manage', scoped: true, body: () => ({ first_name: 'Z' }) },
  { method: 'get', path: (i) => `/app/invoicing/clients/${i.client}/contacts/${i.contact}/edit`, perm: 'clients.manage', scoped: true },
  { method: 'post', path: (i) => `/app/invoicing/clients/${i.client}/contacts/${i.contact}`, perm: 'clients.manage', scoped: true, body: () => ({ first_name: 'Z' }) },
  { method: 'post', path: (i) => `/app/invoicing/clients/${i.client}/contacts/${i.contact}/delete`, perm: 'clients.manage', scoped: true },
  { method: 'get', path: () => '/app/invoicing/products', perm: 'catalogue.view' },
  { method: 'get', path: () => '/app/invoicing/products/new', perm: 'catalogue.manage' },
  { method: 'post', path: () => '/app/invoicing/products', perm: 'catalogue.manage', body: () => ({ name: 'P', unit: 'C62', unit_price: '1', currency: 'EUR' }) },
  { method: 'get', path: (i) => `/app/invoicing/products/${i.product}/edit`, perm: 'catalogue.manage', scoped: true },
  { method: 'post', path: (i) => `/app/invoicing/products/${i.product}`, perm: 'catalogue.manage', scoped: true, body: () => ({ name: 'P', unit: 'C62', unit_price: '1', currency: 'EUR' }) },
  { method: 'post', path: (i) => `/app/invoicing/products/${i.product}/archive`, perm: 'catalogue.manage', scoped: true },
  { method: 'post', path: (i) => `/app/invoicing/products/${i.product}/restore`, perm: 'catalogue.manage', scoped: true },
  { method: 'get', path: () => '/app/invoicing/tax-rates', perm: 'catalogue.view' },
  { method: 'get', path: () => '/app/invoicing/tax-rates/new', perm: 'catalogue.manage' },
  { method: 'post', path: () => '/app/invoicing/tax-rates', perm: 'catalogue.manage', body: () => ({ name: 'T', rate: '5', category: 'S' }) },
  { method: 'get', path: (i) => `/app/invoicing/tax-rates/${i.taxRate}/edit`, perm: 'catalogue.manage', scoped: true },
  { method: 'post', path: (i) => `/app/invoicing/tax-rates/${i.taxRate}`, perm: 'catalogue.manage', scoped: true, body: () => ({ name: 'T2', rate: '5', category: 'S' }) },
  { method: 'post', path: (i) => `/app/invoicing/tax-rates/${i.taxRate}/archive`, perm: 'catalogue.manage', scoped: true },
  { method: 'post', path: (i) => `/app/invoicing/tax-rates/${i.taxRate}/restore`, perm: 'catalogue.manage', scoped: true },
  { method: 'get', path: () => '/app/invoicing/recurring', perm: 'documents.view' },
  { method: 'get', path: () => '/app/invoicing/recurring/new', perm: 'documents.manage' },
  { method: 'post', path: () => '/app/invoicing/recurring', perm: 'documents.manage', body: (i) => ({ client_id: String(i.client), name: 'R', interval: 'monthly', start_on: '2040-01-01', 'lines[0][description]': 'L', 'lines[0][unit_price]': '1' }) },
  { method: 'get', path: (i) => `/app/invoicing/recurring/${i.profile}`, perm: 'documents.view', scoped: true },
  { method: 'get', path: (i) => `/app/invoicing/recurring/${i.profile}/edit`, perm: 'documents.manage', scoped: true },
  { method: 'post', path: (i) => `/app/invoicing/recurring/${i.profile}`, perm: 'documents.manage', scoped: true, body: (i) => ({ client_id: String(i.client), name: 'R2', interval: 'monthly', start_on: '2040-01-01', 'lines[0][description]': 'L', 'lines[0][unit_price]': '1' }) },
  { method: 'post', path: (i) => `/app/invoicing/recurring/${i.profile}/pause`, perm: 'documents.manage', scoped: true },
  { method: 'post', path: (i) => `/app/invoicing/recurring/${i.profile}/resume`, perm: 'documents.manage', scoped: true },
  { method: 'post', path: (i) => `/app/invoicing/recurring/${i.profile}/run`, perm: 'documents.manage', scoped: true },
  { method: 'post', path: (i) => `/app/invoicing/recurring/${i.profile}/delete`, perm: 'documents.manage', scoped: true },
]

const API: Route[] = [
  { method: 'get', path: () => '/api/v1/clients', perm: 'clients.view' },
  { method: 'post', path: () => '/api/v1/clients', perm: 'clients.manage', body: () => ({ kind: 'company', name: 'X', currency: 'EUR', language: 'en' }) },
  { method: 'post', path: () => '/api/v1/clients/merge', perm: 'clients.manage', scoped: true, body: (i) => ({ survivor_id: i.client, duplicate_id: i.other }) },
  { method: 'get', path: (i) => `/api/v1/clients/${i.client}`, perm: 'clients.view', scoped: true },
  { method: 'patch', path: (i) => `/api/v1/clients/${i.client}`, perm: 'clients.manage', scoped: true, body: () => ({ city: 'C' }) },
  { method: 'delete', path: (i) => `/api/v1/clients/${i.client}`, perm: 'clients.manage', scoped: true },
  { method: 'post', path: (i) => `/api/v1/clients/${i.client}/restore`, perm: 'clients.manage', scoped: true },
  { method: 'get', path: (i) => `/api/v1/clients/${i.client}/contacts`, perm: 'clients.view', scoped: true },
  { method: 'post', path: (i) => `/api/v1/clients/${i.client}/contacts`, perm: 'clients.manage', scoped: true, body: () => ({ first_name: 'Z' }) },
  { method: 'get', path: () => '/api/v1/contacts', perm: 'clients.view' },
  { method: 'post', path: () => '/api/v1/contacts', perm: 'clients.manage', scoped: true, body: (i) => ({ client_id: i.client, first_name: 'Z' }) },
  { method: 'get', path: (i) => `/api/v1/contacts/${i.contact}`, perm: 'clients.view', scoped: true },
  { method: 'patch', path: (i) => `/api/v1/contacts/${i.contact}`, perm: 'clients.manage', scoped: true, body: () => ({ role: 'R' }) },
  { method: 'delete', path: (i) => `/api/v1/contacts/${i.contact}`, perm: 'clients.manage', scoped: true },
  { method: 'get', path: () => '/api/v1/products', perm: 'catalogue.view' },
  { method: 'post', path: () => '/api/v1/products', perm: 'catalogue.manage', body: () => ({ name: 'P', unit: 'C62', unit_price: 1, currency: 'EUR' }) },
  { method: 'get', path: (i) => `/api/v1/products/${i.product}`, perm: 'catalogue.view', scoped: true },
  { method: 'patch', path: (i) => `/api/v1/products/${i.product}`, perm: 'catalogue.manage', scoped: true, body: () => ({ name: 'P2' }) },
  { method: 'delete', path: (i) => `/api/v1/products/${i.product}`, perm: 'catalogue.manage', scoped: true },
  { method: 'get', path: () => '/api/v1/tax-rates', perm: 'catalogue.view' },
  { method: 'post', path: () => '/api/v1/tax-rates', perm: 'catalogue.manage', body: () => ({ name: `T ${Math.random()}`, rate: 5000, category: 'S' }) },
  { method: 'get', path: (i) => `/api/v1/tax-rates/${i.taxRate}`, perm: 'catalogue.view', scoped: true },
  { method: 'patch', path: (i) => `/api/v1/tax-rates/${i.taxRate}`, perm: 'catalogue.manage', scoped: true, body: () => ({ name: `T ${Math.random()}` }) },
  { method: 'delete', path: (i) => `/api/v1/tax-rates/${i.taxRate}`, perm: 'catalogue.manage', scoped: true },
  { method: 'get', path: () => '/api/v1/recurring-invoices', perm: 'documents.view' },
  { method: 'post', path: () => '/api/v1/recurring-invoices', perm: 'documents.manage', body: (i) => ({ client_id: i.client, name: 'R', interval: 'monthly', start_on: '2040-01-01', lines: [{ description: 'L', quantity: 1, unit_price: 1 }] }) },
  { method: 'get', path: (i) => `/api/v1/recurring-invoices/${i.profile}`, perm: 'documents.view', scoped: true },
  { method: 'patch', path: (i) => `/api/v1/recurring-invoices/${i.profile}`, perm: 'documents.manage', scoped: true, body: () => ({ name: 'R3' }) },
  { method: 'post', path: (i) => `/api/v1/recurring-invoices/${i.profile}/pause`, perm: 'documents.manage', scoped: true },
  { method: 'post', path: (i) => `/api/v1/recurring-invoices/${i.profile}/resume`, perm: 'documents.manage', scoped: true },
  { method: 'post', path: (i) => `/api/v1/recurring-invoices/${i.profile}/run`, perm: 'documents.manage', scoped: true },
  { method: 'delete', path: (i) => `/api/v1/recurring-invoices/${i.profile}`, perm: 'documents.manage', scoped: true },
]

const GRANTED: Record<string, Perm[]> = {
  admin: ['clients.view', 'clients.manage', 'catalogue.view', 'catalogue.manage', 'documents.view', 'documents.manage'],
  accountant: ['clients.view', 'clients.manage', 'catalogue.view', 'catalogue.manage', 'documents.view', 'documents.manage'],
  staff: ['clients.view', 'clients.manage', 'catalogue.view', 'documents.view', 'documents.manage'],
  viewer: ['clients.view', 'catalogue.view', 'documents.view'],
}

async function seed(t: TestTenant): Promise<Ids> {
  return t.run(async () => {
    const client = await createClient({ kind: 'company', name: 'Seed', currency: 'EUR', language: 'en' })
    const other = await createClient({ kind: 'company', name: 'Seed 2', currency: 'EUR', language: 'en' })
    const contact = await addContact(client, { first_name: 'Seed' })
    const product = await createProduct({ name: 'Seed', unit: 'C62', unit_price: 100, currency: 'EUR' })
    const taxRate = await TaxRate.query().firstOrFail()
    const profile = await createProfile({ client_id: client.id, name: 'Seed', interval: 'monthly', start_on: '2040-01-01', lines: [{ productId: null, description: 'Seed', quantity: 10000, unit: 'C62', unitPrice: 100, taxRateId: null }] })
    return { client: client.id, other: other.id, contact: contact.id, product: product.id, taxRate: taxRate.id, profile: profile.id }
  })
}

function page(client: ApiClient, t: TestTenant, route: Route, ids: Ids, user?: any) {
  let request = (client as any)[route.method](route.path(ids)).header('host', t.host).redirects(0)
  if (user) request = request.loginAs(user)
  if (route.method !== 'get') request = request.form(route.body?.(ids) ?? {}).withCsrfToken()
  return request
}

function api(client: ApiClient, t: TestTenant, route: Route, ids: Ids, token?: string) {
  let request = (client as any)[route.method](route.path(ids)).header('host', t.host)
  if (token) request = request.bearerToken(token)
  if (route.body) request = request.json(route.body(ids))
  return request
}

const label = (r: Route, ids: Ids) => `${r.method.toUpperCase()} ${r.path(ids)}`

test.group('Invoicing parties: access', () => {
  test('signed-out visitors are sent to sign in; API calls without a token answer 401', async ({ client, assert }) => {
    const t = await makeTenant()
    const ids = await seed(t)
    for (const route of PAGES) {
      const response = await page(client, t, route, ids)
      assert.equal(response.status(), 302, label(route, ids))
      assert.match(response.header('location') ?? '', /login|sign-in/, label(route, ids))
    }
    for (const route of API) {
      const response = await api(client, t, route, ids)
      assert.equal(response.status(), 401, label(route, ids))
    }
  })

  test('each role reaches exactly the routes its permissions allow', async ({ client, assert }) => {
    for (const role of ['viewer', 'staff', 'accountant'] as const) {
      const t = await makeTenant()
      const user = await t.user(role)
      const token = await tokenFor(user)
      for (const route of PAGES) {
        const ids = await seed(t)
        const response = await page(client, t, route, ids, user)
        if (GRANTED[role].includes(route.perm)) {
          assert.notInclude([401, 403, 404, 500], response.status(), `${role} ${label(route, ids)}`)
        } else {
          assert.equal(response.status(), 403, `${role} ${label(route, ids)}`)
        }
      }
      for (const route of API) {
        const ids = await seed(t)
        const response = await api(client, t, route, ids, token)
        if (GRANTED[role].includes(route.perm)) {
          assert.isBelow(response.status(), 300, `${role} ${label(route, ids)}: ${response.text().slice(0, 200)}`)
        } else {
          assert.equal(response.status(), 403, `${role} ${label(route, ids)}`)
        }
      }
    }
  }).timeout(120_000)

  test("another tenant's ids answer 404 on every route, and its data is untouched", async ({ client, assert }) => {
    const mine = await makeTenant()
    const theirs = await makeTenant()
    await seed(mine)
    const foreign = await seed(theirs)
    const token = await tokenFor(mine.owner)
    for (const route of PAGES.filter((r) => r.scoped)) {
      const response = await page(client, mine, route, foreign, mine.owner)
      assert.equal(response.status(), 404, label(route, foreign))
    }
    for (const route of API.filter((r) => r.scoped)) {
      const response = await api(client, mine, route, foreign, token)
      assert.equal(response.status(), 404, label(route, foreign))
    }
    /* A foreign client named in a new recurring profile is an unknown client: refused, nothing created */
    const refused = await client
      .post('/app/invoicing/recurring')
      .header('host', mine.host)
      .loginAs(mine.owner)
      .form({ client_id: String(foreign.client), name: 'R', interval: 'monthly', start_on: '2040-01-01', 'lines[0][description]': 'L', 'lines[0][unit_price]': '1' })
      .withCsrfToken()
      .redirects(0)
    assert.equal(refused.header('location'), '/app/invoicing/recurring/new')
    const refusedApi = await client
      .post('/api/v1/recurring-invoices')
      .header('host', mine.host)
      .bearerToken(token)
      .json({ client_id: foreign.client, name: 'R', interval: 'monthly', start_on: '2040-01-01', lines: [{ description: 'L', quantity: 1, unit_price: 1 }] })
    assert.equal(refusedApi.status(), 422)
    const { default: RecurringProfile } = await import('../../models/recurring_profile.js')
    assert.lengthOf(await RecurringProfile.forTenant(mine.tenant.id), 1, 'only the seeded profile')

    const untouched = await theirs.run(async () => {
      const { default: Client } = await import('../../models/client.js')
      return Client.findOrFail(foreign.client)
    })
    assert.equal(untouched.name, 'Seed')
    assert.isNull(untouched.archivedAt)
    assert.isNull(untouched.mergedIntoId)
  })

  test('with the plugin disabled every route answers 404 and the nav entries are gone', async ({ client, assert }) => {
    const t = await makeTenant()
    const ids = await seed(t)
    await disablePluginAndDependents(t, 'invoicing')
    const token = await tokenFor(t.owner)
    for (const route of PAGES) {
      const response = await page(client, t, route, ids, t.owner)
      assert.equal(response.status(), 404, label(route, ids))
    }
    for (const route of API) {
      const response = await api(client, t, route, ids, token)
      assert.equal(response.status(), 404, label(route, ids))
    }
    const dashboard = await client.get('/app').header('host', t.host).loginAs(t.owner)
    assert.notInclude(navIds(dashboard.text()), 'invoicing.clients')
    assert.notInclude(navIds(dashboard.text()), 'invoicing.catalogue')
    const nav = await hooks.applyFilters('nav.main', [], { tenantId: t.tenant.id })
    assert.notInclude(nav.map((i) => i.id), 'invoicing.clients')

    const on = await makeTenant()
    const onNav = await hooks.applyFilters('nav.main', [], { tenantId: on.tenant.id })
    assert.includeMembers(onNav.map((i) => i.id), ['invoicing.clients', 'invoicing.catalogue'])
  })

  test('viewers see the Clients and Catalogue entries (their permissions include viewing)', async ({ client, assert }) => {
    const t = await makeTenant()
    const viewer = await t.user('viewer')
    const dashboard = await client.get('/app').header('host', t.host).loginAs(viewer)
    assert.includeMembers(navIds(dashboard.text()), ['invoicing.clients', 'invoicing.catalogue'])
  })
})
