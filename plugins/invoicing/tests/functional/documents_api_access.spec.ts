import { test } from '@japa/runner'
import { makeTenant, type TestTenant } from '#tests/helpers/tenants'
import { assertProblem, tokenFor } from '#tests/helpers/api'
import { finalize } from '#plugins/invoicing/services/documents'
import { recordPayment } from '#plugins/invoicing/services/ledger'
import { makeClient, makeDraft } from '../documents_fixtures.js'

type Route = [method: 'get' | 'post' | 'patch' | 'delete', url: string, permission: 'view' | 'manage' | 'issue' | 'pay_view' | 'pay']

/* every documents/payments API route, with the ids of one tenant's records */
function routes(ids: { invoice: number; quote: number; note: number; payment: number }): Route[] {
  const out: Route[] = []
  for (const [path, id] of [['invoices', ids.invoice], ['quotes', ids.quote], ['credit-notes', ids.note]] as const) {
    out.push(['get', `/api/v1/${path}/${id}`, 'view'])
    out.push(['patch', `/api/v1/${path}/${id}`, 'manage'])
    out.push(['delete', `/api/v1/${path}/${id}`, 'manage'])
    out.push(['post', `/api/v1/${path}/${id}/finalize`, 'issue'])
    out.push(['post', `/api/v1/${path}/${id}/send`, 'issue'])
    out.push(['get', `/api/v1/${path}/${id}/pdf`, 'view'])
  }
  out.push(['post', `/api/v1/invoices/${ids.invoice}/void`, 'issue'])
  out.push(['post', `/api/v1/invoices/${ids.invoice}/write-off`, 'issue'])
  out.push(['post', `/api/v1/invoices/${ids.invoice}/apply-credit`, 'pay'])
  out.push(['post', `/api/v1/quotes/${ids.quote}/accept`, 'issue'])
  out.push(['post', `/api/v1/quotes/${ids.quote}/decline`, 'issue'])
  out.push(['post', `/api/v1/quotes/${ids.quote}/convert`, 'manage'])
  out.push(['get', `/api/v1/payments/${ids.payment}`, 'pay_view'])
  out.push(['post', `/api/v1/payments/${ids.payment}/refund`, 'pay'])
  return out
}

async function seed(t: TestTenant) {
  return t.run(async () => {
    const client = await makeClient(t)
    const invoice = await finalize(await makeDraft(t, 'invoice', client.id))
    const quote = await makeDraft(t, 'quote', client.id)
    const note = await makeDraft(t, 'credit_note', client.id, { relatedDocumentId: invoice.id })
    const { payment } = await recordPayment({ tenantId: t.tenant.id, invoiceId: invoice.id, amount: 100, currency: 'EUR', method: 'cash' })
    return { invoice: invoice.id, quote: quote.id, note: note.id, payment: payment.id, client: client.id }
  })
}

test.group('Documents API: tenancy and authorization', (group) => {
  let mine: TestTenant
  let theirs: TestTenant
  let theirIds: Awaited<ReturnType<typeof seed>>
  let myIds: Awaited<ReturnType<typeof seed>>
  group.setup(async () => {
    mine = await makeTenant()
    theirs = await makeTenant()
    myIds = await seed(mine)
    theirIds = await seed(theirs)
  })

  test('another tenant’s ids answer 404 on every route, and nothing changes', async ({ client, assert }) => {
    const token = await tokenFor(mine.owner)
    for (const [method, url] of routes(theirIds)) {
      const response = await client[method](url).header('host', mine.host).bearerToken(token).json({})
      assert.equal(response.status(), 404, `${method.toUpperCase()} ${url}`)
    }
    const lists = await client.get('/api/v1/invoices').header('host', mine.host).bearerToken(token)
    assert.notInclude(lists.body().data.map((d: any) => d.id), theirIds.invoice)
    const pay = await client.post('/api/v1/payments').header('host', mine.host).bearerToken(token).json({ invoice_id: theirIds.invoice, amount: 100, currency: 'EUR', method: 'cash' })
    assertProblem(assert, pay, 404, 'E_NOT_FOUND')
    const draft = await client.post('/api/v1/invoices').header('host', mine.host).bearerToken(token).json({ client_id: theirIds.client, lines: [] })
    assertProblem(assert, draft, 404, 'E_NOT_FOUND')
    const note = await client.post('/api/v1/credit-notes').header('host', mine.host).bearerToken(token).json({ invoice_id: theirIds.invoice })
    assertProblem(assert, note, 404, 'E_NOT_FOUND')
    const theirView = await client.get(`/api/v1/invoices/${theirIds.invoice}`).header('host', theirs.host).bearerToken(await tokenFor(theirs.owner))
    assert.equal(theirView.body().data.amount_paid, 100)
  })

  test('without a token every route answers 401', async ({ client, assert }) => {
    const all: Route[] = [...routes(myIds), ['get', '/api/v1/invoices', 'view'], ['post', '/api/v1/invoices', 'manage'], ['get', '/api/v1/payments', 'pay_view'], ['post', '/api/v1/payments', 'pay']]
    for (const [method, url] of all) {
      const response = await client[method](url).header('host', mine.host).json({})
      assert.equal(response.status(), 401, `${method.toUpperCase()} ${url}`)
    }
  })

  test('roles: viewer reads only, staff edits drafts but cannot issue, accountant issues and records payments', async ({ client, assert }) => {
    const viewer = await tokenFor(await mine.user('viewer'))
    const staff = await tokenFor(await mine.user('staff'))
    const accountant = await tokenFor(await mine.user('accountant'))
    const allowed: Record<string, string[]> = {
      viewer: ['view', 'pay_view'],
      staff: ['view', 'pay_view', 'manage'],
    }
    for (const [role, token] of [['viewer', viewer], ['staff', staff]] as const) {
      for (const [method, url, permission] of routes(myIds)) {
        if (allowed[role].includes(permission)) continue
        const response = await client[method](url).header('host', mine.host).bearerToken(token).json({})
        assert.equal(response.status(), 403, `${role} ${method.toUpperCase()} ${url}`)
      }
    }
    assertProblem(assert, await client.post('/api/v1/invoices').header('host', mine.host).bearerToken(viewer).json({ client_id: myIds.client, lines: [] }), 403, 'E_FORBIDDEN')
    assertProblem(assert, await client.post('/api/v1/payments').header('host', mine.host).bearerToken(staff).json({ invoice_id: myIds.invoice, amount: 1, currency: 'EUR', method: 'cash' }), 403, 'E_FORBIDDEN')
    ;(await client.get('/api/v1/invoices').header('host', mine.host).bearerToken(viewer)).assertStatus(200)
    ;(await client.get(`/api/v1/payments/${myIds.payment}`).header('host', mine.host).bearerToken(viewer)).assertStatus(200)
    const created = await client.post('/api/v1/quotes').header('host', mine.host).bearerToken(staff).json({ client_id: myIds.client, lines: [{ description: 'x', quantity: 1, unit_price: 100 }] })
    created.assertStatus(201)
    assertProblem(assert, await client.post(`/api/v1/quotes/${created.body().data.id}/finalize`).header('host', mine.host).bearerToken(staff), 403, 'E_FORBIDDEN')
    ;(await client.post(`/api/v1/quotes/${created.body().data.id}/finalize`).header('host', mine.host).bearerToken(accountant)).assertStatus(200)
    const paid = await client.post('/api/v1/payments').header('host', mine.host).bearerToken(accountant).json({ invoice_id: myIds.invoice, amount: 50, currency: 'EUR', method: 'bank_transfer', reference: 'TX-9', paid_on: '2026-05-01' })
    paid.assertStatus(201)
    assert.equal(paid.body().data.reference, 'TX-9')
    assert.equal(paid.body().invoice.status, 'partially_paid')
  })
})

test.group('Payments API', () => {
  test('record partial and over-payment, list with filters and pages, refund', async ({ client, assert }) => {
    const t = await makeTenant()
    const token = await tokenFor(t.owner)
    const ids = await seed(t)
    const api = (m: 'get' | 'post', url: string) => client[m](url).header('host', t.host).bearerToken(token)
    const invoice = (await api('get', `/api/v1/invoices/${ids.invoice}`)).body().data
    const over = await api('post', '/api/v1/payments').json({ invoice_id: ids.invoice, amount: invoice.balance_due + 250, currency: 'EUR', method: 'bank_transfer', reference: 'Overpaid 77' })
    over.assertStatus(201)
    assert.equal(over.body().credited, 250)
    assert.equal(over.body().invoice.status, 'paid')
    assert.deepEqual(over.body().data.allocations, [{ invoice_id: ids.invoice, source: 'payment', amount: invoice.balance_due }])
    const credit = await api('post', '/api/v1/payments').json({ client_id: ids.client, amount: 999, currency: 'EUR', method: 'other' })
    credit.assertStatus(201)
    assert.equal(credit.body().credited, 999)

    const bad = await api('post', '/api/v1/payments').json({ amount: -5, currency: 'EURO', method: 'barter' })
    const problem = assertProblem(assert, bad, 422, 'E_VALIDATION_ERROR')
    assert.includeMembers(problem.errors!.map((e) => e.field), ['amount', 'currency', 'method', 'invoice_id'])

    const byInvoice = (await api('get', '/api/v1/payments').qs({ invoice_id: ids.invoice })).body().data
    assert.lengthOf(byInvoice, 2)
    const search = (await api('get', '/api/v1/payments').qs({ q: 'overpaid' })).body().data
    assert.deepEqual(search.map((p: any) => p.id), [over.body().data.id])
    const page1 = (await api('get', '/api/v1/payments').qs({ limit: 2, sort: 'amount' })).body()
    assert.lengthOf(page1.data, 2)
    const page2 = (await api('get', '/api/v1/payments').qs({ limit: 2, sort: 'amount', cursor: page1.next_cursor })).body()
    assert.lengthOf(page2.data, 1)
    assert.isNull(page2.next_cursor)

    const refund = await api('post', `/api/v1/payments/${over.body().data.id}/refund`).json({ amount: 300 })
    refund.assertStatus(201)
    assert.equal(refund.body().data.kind, 'refund')
    assert.deepEqual(refund.body().reopened_invoice_ids, [ids.invoice])
    const reopened = (await api('get', `/api/v1/invoices/${ids.invoice}`)).body().data
    assert.equal(reopened.status, 'partially_paid')
    assert.equal(reopened.balance_due, 50)
    assertProblem(assert, await api('post', `/api/v1/payments/${over.body().data.id}/refund`).json({ amount: 10_000_000 }), 422, 'E_REFUND_TOO_LARGE')
  })
})
