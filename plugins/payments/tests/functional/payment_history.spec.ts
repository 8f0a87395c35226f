import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import GatewayPayment from '#plugins/payments/models/gateway_payment'
import { fixture, issued, type Fixture } from '#plugins/invoicing/tests/helpers/documents_ui'
import { createClient } from '#plugins/invoicing/services/clients'
import { setPluginEnabled } from '#services/settings_service'
import { tokenFor, assertProblem } from '#tests/helpers/api'
import { parseDecimalAmount } from '#plugins/payments/services/payment_history'

type Seed = Awaited<ReturnType<typeof seed>>

/** Two clients with payments in two currencies, on known days, one refunded in part and disputed */
async function seed(f?: Fixture) {
  f ??= await fixture({ clientName: 'Globex Corporation' })
  const t = f.t
  const other = await t.run(() => createClient({ kind: 'company', name: 'Initech GmbH', currency: 'EUR', language: 'en', country: 'DE' }))
  const invA = await issued(f)
  const invB = await issued({ ...f, client: other })
  let n = 0
  const pay = (invoiceId: number, fields: Partial<GatewayPayment>, day: string) =>
    t.run(() =>
      GatewayPayment.create({
        gateway: 'stripe',
        reference: `pi_${t.tenant.slug}_${++n}`,
        invoiceId,
        amountRefunded: 0,
        status: 'succeeded',
        disputeStatus: 'none',
        ...fields,
        createdAt: DateTime.fromISO(`${day}T12:00:00`, { zone: 'utc' }),
      })
    )
  const p1 = await pay(invA.id, { amount: 10000, fee: 320, currency: 'EUR' }, '2026-01-10')
  const p2 = await pay(invA.id, { amount: 5000, fee: 175, currency: 'EUR', status: 'partially_refunded', amountRefunded: 1000, disputeStatus: 'open' }, '2026-02-15')
  const p3 = await pay(invB.id, { amount: 20000, fee: 600, currency: 'EUR' }, '2026-03-01')
  const p4 = await pay(invA.id, { amount: 3000, fee: 117, currency: 'USD' }, '2026-02-20')
  return { f, t, clientA: f.client, clientB: other, p1, p2, p3, p4 }
}

const ids = (html: string) => [...html.matchAll(/data-payment-id="(\d+)"/g)].map((m) => Number(m[1])).sort((a, b) => a - b)
const idsOf = (...ps: GatewayPayment[]) => ps.map((p) => p.id).sort((a, b) => a - b)
const csvRefs = (text: string) => text.trim().split('\n').slice(1).map((line) => line.split(',')[2]).sort()
const refsOf = (...ps: GatewayPayment[]) => ps.map((p) => p.reference).sort()

function totalsRow(html: string, currency: string) {
  const row = new RegExp(`<tr data-totals-currency="${currency}">([\\s\\S]*?)</tr>`).exec(html)?.[1] ?? ''
  return Object.fromEntries([...row.matchAll(/data-total="(\w+)">([^<]*)</g)].map((m) => [m[1], m[2].trim()]))
}

test.group('Payments: history filters, totals and CSV', () => {
  test('decimal amounts from the page parse to minor units; anything else is rejected', ({ assert }) => {
    assert.equal(parseDecimalAmount('12,5'), 1250)
    assert.equal(parseDecimalAmount('12.50'), 1250)
    assert.equal(parseDecimalAmount(' 7 '), 700)
    assert.isNull(parseDecimalAmount('1.234'))
    assert.isNull(parseDecimalAmount('-5'))
    assert.isNull(parseDecimalAmount('abc'))
  })

  test('page filters: dates, decimal amounts, currency, status, dispute; the HTMX request gets the list partial', async ({ client, assert }) => {
    const s = await seed()
    const get = (qs: string) => client.get(`/app/payments/payments${qs}`).header('host', s.t.host).loginAs(s.t.owner)
    const all = await get('')
    all.assertStatus(200)
    assert.deepEqual(ids(all.text()), idsOf(s.p1, s.p2, s.p3, s.p4))
    assert.deepEqual(ids((await get('?from=2026-02-01&to=2026-02-28')).text()), idsOf(s.p2, s.p4))
    assert.deepEqual(ids((await get('?to=2026-02-15')).text()), idsOf(s.p1, s.p2))
    assert.deepEqual(ids((await get('?amount_min=50&amount_max=100,00')).text()), idsOf(s.p1, s.p2))
    assert.deepEqual(ids((await get('?currency=usd')).text()), idsOf(s.p4))
    assert.deepEqual(ids((await get('?status=partially_refunded')).text()), idsOf(s.p2))
    assert.deepEqual(ids((await get('?dispute=yes')).text()), idsOf(s.p2))
    assert.deepEqual(ids((await get('?dispute=no&currency=EUR&amount_min=')).text()), idsOf(s.p1, s.p3))

    const csvLink = (await get('?currency=EUR&dispute=no')).text()
    assert.include(csvLink, 'href="/app/payments/payments.csv?currency=EUR&amp;dispute=no"')

    const partial = await get('?currency=USD').header('hx-request', 'true')
    partial.assertStatus(200)
    assert.match(partial.text().trim(), /^<div id="payments-history"/)
    assert.notInclude(partial.text(), '<html')
    assert.deepEqual(ids(partial.text()), idsOf(s.p4))
  })

  test('overall totals per currency cover the filtered set: gross, fees, net, refunded', async ({ client, assert }) => {
    const s = await seed()
    const page = await client.get('/app/payments/payments').header('host', s.t.host).loginAs(s.t.owner)
    assert.deepEqual(totalsRow(page.text(), 'EUR'), { gross: '€350.00', fees: '€10.95', net: '€339.05', refunded: '€10.00' })
    assert.deepEqual(totalsRow(page.text(), 'USD'), { gross: '$30.00', fees: '$1.17', net: '$28.83', refunded: '$0.00' })
    const filtered = await client.get('/app/payments/payments?from=2026-03-01').header('host', s.t.host).loginAs(s.t.owner)
    assert.deepEqual(totalsRow(filtered.text(), 'EUR'), { gross: '€200.00', fees: '€6.00', net: '€194.00', refunded: '€0.00' })
    assert.notInclude(filtered.text(), 'data-totals-currency="USD"')
  })

  test('per-client history: heading names the client, only its payments, its totals; other tenant\'s client → 404', async ({ client, assert }) => {
    const s = await seed()
    const other = await seed()
    const page = await client.get(`/app/payments/payments?client=${s.clientA.id}`).header('host', s.t.host).loginAs(s.t.owner)
    page.assertStatus(200)
    assert.match(page.text(), /<h1>Online payments of Globex Corporation<\/h1>/)
    assert.deepEqual(ids(page.text()), idsOf(s.p1, s.p2, s.p4))
    assert.deepEqual(totalsRow(page.text(), 'EUR'), { gross: '€150.00', fees: '€4.95', net: '€145.05', refunded: '€10.00' })
    assert.deepEqual(totalsRow(page.text(), 'USD'), { gross: '$30.00', fees: '$1.17', net: '$28.83', refunded: '$0.00' })
    assert.include(page.text(), `name="client" value="${s.clientA.id}"`)
    const b = await client.get(`/app/payments/payments?client=${s.clientB.id}&currency=EUR`).header('host', s.t.host).loginAs(s.t.owner)
    assert.deepEqual(ids(b.text()), idsOf(s.p3))
    assert.include(b.text(), 'Initech GmbH')

    const foreign = await client.get(`/app/payments/payments?client=${other.clientA.id}`).header('host', s.t.host).loginAs(s.t.owner)
    foreign.assertStatus(404)
    const foreignCsv = await client.get(`/app/payments/payments.csv?client=${other.clientA.id}`).header('host', s.t.host).loginAs(s.t.owner)
    foreignCsv.assertStatus(404)
    const token = await tokenFor(s.t.owner)
    const foreignApi = await client.get(`/api/v1/gateway-payments?client=${other.clientA.id}`).header('host', s.t.host).bearerToken(token)
    assertProblem(assert, foreignApi, 404, 'E_NOT_FOUND')
  })

  test('CSV honours the same filters', async ({ client, assert }) => {
    const s = await seed()
    const csv = (qs: string) => client.get(`/app/payments/payments.csv${qs}`).header('host', s.t.host).loginAs(s.t.owner)
    const all = await csv('')
    all.assertStatus(200)
    assert.match(all.header('content-type') ?? '', /text\/csv/)
    assert.deepEqual(csvRefs(all.text()), refsOf(s.p1, s.p2, s.p3, s.p4))
    assert.deepEqual(csvRefs((await csv(`?client=${s.clientA.id}&currency=EUR`)).text()), refsOf(s.p1, s.p2))
    assert.deepEqual(csvRefs((await csv('?from=2026-02-16&amount_max=250')).text()), refsOf(s.p3, s.p4))
    assert.deepEqual(csvRefs((await csv('?dispute=yes')).text()), refsOf(s.p2))
    const bad = await csv('?from=yesterday')
    bad.assertStatus(422)
  })

  test('API filters in minor units, keyset pages, totals; bad filters → 422 problem+json', async ({ client, assert }) => {
    const s = await seed()
    const token = await tokenFor(s.t.owner)
    const api = (qs: string) => client.get(`/api/v1/gateway-payments${qs}`).header('host', s.t.host).bearerToken(token)
    const refs = (res: any) => (res.body().data as { id: number }[]).map((p) => p.id).sort((a, b) => a - b)
    assert.deepEqual(refs(await api(`?client=${s.clientA.id}`)), idsOf(s.p1, s.p2, s.p4))
    assert.deepEqual(refs(await api('?amount_min=5000&amount_max=10000')), idsOf(s.p1, s.p2))
    assert.deepEqual(refs(await api('?from=2026-02-01&to=2026-02-28&currency=USD')), idsOf(s.p4))
    assert.deepEqual(refs(await api('?dispute=yes')), idsOf(s.p2))
    const totals = (await api(`?client=${s.clientA.id}&currency=EUR`)).body().totals
    assert.deepEqual(totals, [{ currency: 'EUR', count: 2, gross: 15000, fees: 495, net: 14505, refunded: 1000 }])

    const first = await api('?currency=EUR&limit=2')
    assert.deepEqual(first.body().data.map((p: any) => p.id), [s.p3.id, s.p2.id])
    assert.equal(first.body().next_before, s.p2.id)
    assert.equal(first.body().totals[0].count, 3)
    const second = await api(`?currency=EUR&limit=2&before=${first.body().next_before}`)
    assert.deepEqual(second.body().data.map((p: any) => p.id), [s.p1.id])
    assert.isNull(second.body().next_before)
    assert.equal(second.body().totals[0].count, 3)

    for (const qs of ['?amount_min=12.5', '?amount_min=12,50', '?from=2026-02-30', '?from=2026-03-01&to=2026-02-01', '?amount_min=500&amount_max=100', '?dispute=maybe', '?currency=EURO', '?client=abc']) {
      const res = await api(qs)
      const problem = assertProblem(assert, res, 422, 'E_VALIDATION_ERROR')
      assert.isAbove(JSON.stringify(problem).length, 0, qs)
    }
  })

  test('page: bad filters → 422 with field errors next to the inputs, the valid ones still apply', async ({ client, assert }) => {
    const s = await seed()
    const res = await client.get('/app/payments/payments?amount_min=ten&from=2026-02-30&currency=USD').header('host', s.t.host).loginAs(s.t.owner)
    res.assertStatus(422)
    assert.include(res.text(), 'id="ph-amount_min-error"')
    assert.include(res.text(), 'Enter an amount such as 12.50.')
    assert.include(res.text(), 'id="ph-from-error"')
    assert.include(res.text(), 'value="ten"')
    assert.deepEqual(ids(res.text()), idsOf(s.p4))
    const range = await client.get('/app/payments/payments?from=2026-03-01&to=2026-02-01').header('host', s.t.host).loginAs(s.t.owner)
    range.assertStatus(422)
    assert.include(range.text(), 'The end date must not be before the start date.')
  })
})

test.group('Payments: history access and the client page link', () => {
  test('signed out → sign-in / 401; viewer and staff see the history without refund forms', async ({ client, assert }) => {
    const s: Seed = await seed()
    for (const path of [`/app/payments/payments?client=${s.clientA.id}`, '/app/payments/payments.csv?currency=EUR']) {
      const anon = await client.get(path).header('host', s.t.host).redirects(0)
      assert.equal(anon.status(), 302, path)
      assert.match(anon.header('location') ?? '', /login|sign-in/)
    }
    const anonApi = await client.get('/api/v1/gateway-payments?currency=EUR').header('host', s.t.host)
    assert.equal(anonApi.status(), 401)
    for (const role of ['viewer', 'staff'] as const) {
      const page = await client.get(`/app/payments/payments?client=${s.clientA.id}`).header('host', s.t.host).loginAs(await s.t.user(role))
      page.assertStatus(200)
      assert.deepEqual(ids(page.text()), idsOf(s.p1, s.p2, s.p4), role)
      assert.notInclude(page.text(), '/refund"', role)
    }
    const owner = await client.get(`/app/payments/payments?client=${s.clientA.id}`).header('host', s.t.host).loginAs(s.t.owner)
    assert.include(owner.text(), `/app/payments/payments/${s.p1.id}/refund`)
  })

  test('the invoicing client page links to the client\'s history only while payments is enabled', async ({ client, assert }) => {
    const s = await seed()
    const show = () => client.get(`/app/invoicing/clients/${s.clientA.id}`).header('host', s.t.host).loginAs(s.t.owner)
    const on = await show()
    on.assertStatus(200)
    assert.include(on.text(), `href="/app/payments/payments?client=${s.clientA.id}" data-testid="payments-client-history"`)
    await s.t.run(() => setPluginEnabled(s.t.tenant, 'payments', false))
    const off = await show()
    off.assertStatus(200)
    assert.notInclude(off.text(), 'payments-client-history')
    const gone = await client.get(`/app/payments/payments?client=${s.clientA.id}`).header('host', s.t.host).loginAs(s.t.owner)
    gone.assertStatus(404)
  })
})
