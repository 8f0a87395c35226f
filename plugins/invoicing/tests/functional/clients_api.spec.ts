import { test } from '@japa/runner'
import { makeTenant } from '#tests/helpers/tenants'
import { assertProblem, tokenFor } from '#tests/helpers/api'
import Client from '../../models/client.js'
import { addContact, createClient } from '../../services/clients.js'

const ACME = {
  kind: 'company',
  name: 'Acme API GmbH',
  email: 'api@acme.test',
  vat_id: 'DE 123456789',
  currency: 'eur',
  language: 'de',
  payment_terms_days: 21,
  address_line1: 'Weg 1',
  postal_code: '10115',
  city: 'Berlin',
  country: 'de',
}

test.group('Invoicing API: clients and contacts', () => {
  test('create, read, update, list and archive a client', async ({ client, assert }) => {
    const t = await makeTenant()
    const token = await tokenFor(t.owner)
    const created = await client.post('/api/v1/clients').header('host', t.host).bearerToken(token).json(ACME)
    created.assertStatus(201)
    const body = created.body().data
    assert.equal(created.header('location'), `/api/v1/clients/${body.id}`)
    assert.containSubset(body, { name: 'Acme API GmbH', vat_id: 'DE123456789', currency: 'EUR', country: 'DE', payment_terms_days: 21, address_line1: 'Weg 1', archived_at: null })

    const shown = await client.get(`/api/v1/clients/${body.id}`).header('host', t.host).bearerToken(token)
    shown.assertStatus(200)
    assert.equal(shown.body().data.email, 'api@acme.test')

    const patched = await client.patch(`/api/v1/clients/${body.id}`).header('host', t.host).bearerToken(token).json({ city: 'Hamburg', payment_terms_days: null })
    patched.assertStatus(200)
    assert.equal(patched.body().data.city, 'Hamburg')
    assert.isNull(patched.body().data.payment_terms_days)
    assert.equal(patched.body().data.name, 'Acme API GmbH', 'fields not sent stay')

    const deleted = await client.delete(`/api/v1/clients/${body.id}`).header('host', t.host).bearerToken(token)
    deleted.assertStatus(204)
    const archived = await t.run(() => Client.findOrFail(body.id))
    assert.isNotNull(archived.archivedAt)
    const active = await client.get('/api/v1/clients').header('host', t.host).bearerToken(token)
    assert.lengthOf(active.body().data, 0)
    const all = await client.get('/api/v1/clients?status=all').header('host', t.host).bearerToken(token)
    assert.lengthOf(all.body().data, 1)
    const restored = await client.post(`/api/v1/clients/${body.id}/restore`).header('host', t.host).bearerToken(token)
    restored.assertStatus(200)
    assert.isNull(restored.body().data.archived_at)
  })

  test('filters and cursor pagination', async ({ client, assert }) => {
    const t = await makeTenant()
    const token = await tokenFor(t.owner)
    await t.run(async () => {
      for (let i = 0; i < 7; i++) await createClient({ kind: i < 3 ? 'individual' : 'company', name: `C${i}`, currency: i === 0 ? 'JPY' : 'EUR', language: 'en' })
    })
    const seen: string[] = []
    let url: string | null = '/api/v1/clients?limit=3&sort=-name'
    while (url) {
      const page = await client.get(url).header('host', t.host).bearerToken(token)
      page.assertStatus(200)
      seen.push(...page.body().data.map((c: { name: string }) => c.name))
      url = page.body().next_cursor ? `/api/v1/clients?limit=3&sort=-name&cursor=${page.body().next_cursor}` : null
    }
    assert.deepEqual(seen, ['C6', 'C5', 'C4', 'C3', 'C2', 'C1', 'C0'])
    const individuals = await client.get('/api/v1/clients?kind=individual').header('host', t.host).bearerToken(token)
    assert.deepEqual(individuals.body().data.map((c: { name: string }) => c.name), ['C0', 'C1', 'C2'])
    const yen = await client.get('/api/v1/clients?currency=jpy').header('host', t.host).bearerToken(token)
    assert.deepEqual(yen.body().data.map((c: { name: string }) => c.name), ['C0'])
    const search = await client.get('/api/v1/clients?q=c4').header('host', t.host).bearerToken(token)
    assert.deepEqual(search.body().data.map((c: { name: string }) => c.name), ['C4'])

    const badCursor = await client.get('/api/v1/clients?cursor=nonsense').header('host', t.host).bearerToken(token)
    assertProblem(assert, badCursor, 422, 'E_VALIDATION_ERROR')
    const badKind = await client.get('/api/v1/clients?kind=alien').header('host', t.host).bearerToken(token)
    assertProblem(assert, badKind, 422, 'E_VALIDATION_ERROR')
  })

  test('bad input answers problem+json with every field', async ({ client, assert }) => {
    const t = await makeTenant()
    const token = await tokenFor(t.owner)
    const response = await client
      .post('/api/v1/clients')
      .header('host', t.host)
      .bearerToken(token)
      .json({ kind: 'robot', name: '', currency: 'EUX', language: 'fr', vat_id: '1', country: 'Germany', payment_terms_days: 999, email: 'x' })
    const problem = assertProblem(assert, response, 422, 'E_VALIDATION_ERROR')
    const fields = problem.errors!.map((e) => e.field).sort()
    assert.includeMembers(fields, ['country', 'currency', 'email', 'kind', 'language', 'name', 'payment_terms_days', 'vat_id'])
    const notJson = await client.post('/api/v1/clients').header('host', t.host).bearerToken(token).header('content-type', 'application/json').json('{nope' as any)
    assert.include([400, 422], notJson.status())
    const missing = await client.get('/api/v1/clients/999999').header('host', t.host).bearerToken(token)
    assertProblem(assert, missing, 404, 'E_NOT_FOUND')
    const notANumber = await client.get('/api/v1/clients/abc').header('host', t.host).bearerToken(token)
    assertProblem(assert, notANumber, 404, 'E_NOT_FOUND')
  })

  test('Idempotency-Key on POST replays the first answer instead of creating twice', async ({ client, assert }) => {
    const t = await makeTenant()
    const token = await tokenFor(t.owner)
    const first = await client.post('/api/v1/clients').header('host', t.host).bearerToken(token).header('idempotency-key', 'client-create-1').json(ACME)
    first.assertStatus(201)
    const again = await client.post('/api/v1/clients').header('host', t.host).bearerToken(token).header('idempotency-key', 'client-create-1').json(ACME)
    again.assertStatus(201)
    assert.equal(again.body().data.id, first.body().data.id)
    assert.lengthOf(await t.run(() => Client.query()), 1)
    const otherBody = await client
      .post('/api/v1/clients')
      .header('host', t.host)
      .bearerToken(token)
      .header('idempotency-key', 'client-create-1')
      .json({ ...ACME, name: 'Different' })
    assert.equal(otherBody.status(), 422)
  })

  test('contacts: nested and flat routes, primary contact, delete', async ({ client, assert }) => {
    const t = await makeTenant()
    const token = await tokenFor(t.owner)
    const c = await t.run(() => createClient({ kind: 'company', name: 'With contacts', currency: 'EUR', language: 'en' }))
    const nested = await client.post(`/api/v1/clients/${c.id}/contacts`).header('host', t.host).bearerToken(token).json({ first_name: 'Ada', email: 'ada@x.test' })
    nested.assertStatus(201)
    assert.isTrue(nested.body().data.is_primary)
    const flat = await client.post('/api/v1/contacts').header('host', t.host).bearerToken(token).json({ client_id: c.id, first_name: 'Grace', is_primary: true })
    flat.assertStatus(201)
    const list = await client.get(`/api/v1/clients/${c.id}/contacts`).header('host', t.host).bearerToken(token)
    assert.deepEqual(
      list.body().data.map((x: { first_name: string; is_primary: boolean }) => [x.first_name, x.is_primary]),
      [['Ada', false], ['Grace', true]]
    )
    const filtered = await client.get(`/api/v1/contacts?client_id=${c.id}&q=grace`).header('host', t.host).bearerToken(token)
    assert.lengthOf(filtered.body().data, 1)
    const patched = await client.patch(`/api/v1/contacts/${nested.body().data.id}`).header('host', t.host).bearerToken(token).json({ role: 'CFO' })
    assert.equal(patched.body().data.role, 'CFO')
    const bad = await client.post('/api/v1/contacts').header('host', t.host).bearerToken(token).json({ client_id: c.id, first_name: '' })
    assertProblem(assert, bad, 422, 'E_VALIDATION_ERROR')
    const unknownClient = await client.post('/api/v1/contacts').header('host', t.host).bearerToken(token).json({ client_id: 999999, first_name: 'X' })
    assertProblem(assert, unknownClient, 404, 'E_NOT_FOUND')
    const del = await client.delete(`/api/v1/contacts/${nested.body().data.id}`).header('host', t.host).bearerToken(token)
    del.assertStatus(204)
    const after = await client.get(`/api/v1/contacts/${nested.body().data.id}`).header('host', t.host).bearerToken(token)
    assertProblem(assert, after, 404, 'E_NOT_FOUND')
  })

  test('merge through the API', async ({ client, assert }) => {
    const t = await makeTenant()
    const token = await tokenFor(t.owner)
    const [a, b] = await t.run(async () => {
      const x = await createClient({ kind: 'company', name: 'A', currency: 'EUR', language: 'en' })
      const y = await createClient({ kind: 'company', name: 'B', currency: 'EUR', language: 'en' })
      await addContact(y, { first_name: 'Moves' })
      return [x, y]
    })
    const merged = await client.post('/api/v1/clients/merge').header('host', t.host).bearerToken(token).json({ survivor_id: a.id, duplicate_id: b.id })
    merged.assertStatus(200)
    assert.equal(merged.body().data.moved_contacts, 1)
    assert.equal(merged.body().data.merged.merged_into_id, a.id)
    const again = await client.post('/api/v1/clients/merge').header('host', t.host).bearerToken(token).json({ survivor_id: a.id, duplicate_id: b.id })
    assertProblem(assert, again, 422, 'E_INVOICING_MERGE_REFUSED')
  })

  test('the OpenAPI document describes the endpoints', async ({ client, assert }) => {
    const t = await makeTenant()
    const token = await tokenFor(t.owner)
    const doc = await client.get('/api/v1/openapi.json').header('host', t.host).bearerToken(token)
    doc.assertStatus(200)
    const paths = doc.body().paths
    for (const path of ['/clients', '/clients/{id}', '/clients/{id}/contacts', '/clients/merge', '/contacts', '/contacts/{id}', '/products', '/products/{id}', '/tax-rates', '/tax-rates/{id}']) {
      assert.property(paths, path)
    }
    assert.property(paths['/clients'], 'post')
    assert.property(doc.body().components.schemas, 'ClientInput')
    assert.isTrue(JSON.stringify(paths['/clients'].post.parameters ?? []).includes('IdempotencyKey'))
  })
})
