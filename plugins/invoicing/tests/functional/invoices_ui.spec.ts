import { test } from '@japa/runner'
import Document from '#plugins/invoicing/models/document'
import DocumentLine from '#plugins/invoicing/models/document_line'
import { fixture, draft, issued, rowIds } from '#plugins/invoicing/tests/helpers/documents_ui'
import { createProduct } from '#plugins/invoicing/services/catalogue'

test.group('Invoicing UI: invoice list', () => {
  test('lists the tenant invoices with status badges, and answers the list fragment to HTMX', async ({ client, assert }) => {
    const f = await fixture()
    const a = await draft(f)
    const b = await issued(f)
    const page = await client.get('/app/invoicing/invoices').header('host', f.t.host).loginAs(f.t.owner)
    page.assertStatus(200)
    assert.sameMembers(rowIds(page.text()), [a.id, b.id])
    assert.include(page.text(), 'id="invoicing-invoices-list"')
    assert.include(page.text(), b.number!)
    assert.match(page.text(), /data-status="draft"/)
    const fragment = await client
      .get('/app/invoicing/invoices')
      .qs({ status: 'draft' })
      .header('host', f.t.host)
      .header('hx-request', 'true')
      .header('hx-request-type', 'partial')
      .loginAs(f.t.owner)
    fragment.assertStatus(200)
    assert.match(fragment.text(), /^\{\{--|^<div id="invoicing-invoices-list"/m)
    assert.notInclude(fragment.text(), '<html')
    assert.deepEqual(rowIds(fragment.text()), [a.id])
  })

  test('filters by overdue, client, dates, amounts and search; sorts; pages with a cursor', async ({ client, assert }) => {
    const f = await fixture()
    const overdue = await issued(f, 'invoice', { issueDate: '2020-01-01', dueDate: '2020-01-31', buyerReference: 'PO-SPECIAL' })
    const big = await draft(f, 'invoice', { issueDate: '2026-05-01', lines: [{ description: 'Big', quantity: 10_000, unitPrice: 500_000, taxRateId: f.standardRate.id }] })
    const get = (qs: Record<string, string>) => client.get('/app/invoicing/invoices').qs(qs).header('host', f.t.host).loginAs(f.t.owner)
    assert.deepEqual(rowIds((await get({ status: 'overdue' })).text()), [overdue.id])
    assert.deepEqual(rowIds((await get({ q: 'po-special' })).text()), [overdue.id])
    assert.deepEqual(rowIds((await get({ min: '1000' })).text()), [big.id])
    assert.deepEqual(rowIds((await get({ max: '1000' })).text()), [overdue.id])
    assert.deepEqual(rowIds((await get({ from: '2026-01-01' })).text()), [big.id])
    assert.deepEqual(rowIds((await get({ sort: 'total' })).text()), [overdue.id, big.id])
    assert.deepEqual(rowIds((await get({ sort: '-total' })).text()), [big.id, overdue.id])
    const bad = await get({ min: '1.23456', from: 'yesterday' })
    bad.assertStatus(200)
    assert.include(bad.text(), 'Some filters could not be used')
    assert.deepEqual(rowIds(bad.text()), [])

    const yen = await draft(f, 'invoice', { currency: 'JPY', lines: [{ description: 'Yen', quantity: 10_000, unitPrice: 2000, taxRateId: f.standardRate.id }] })
    assert.deepEqual(rowIds((await get({ currency: 'JPY', min: '2000' })).text()), [yen.id])
    assert.deepEqual(rowIds((await get({ currency: 'jpy', max: '1999' })).text()), [])
    assert.include((await get({})).text(), 'id="inv-currency"')
    assert.sameMembers(rowIds((await get({ min: '1000' })).text()), [big.id, yen.id])

    for (let i = 0; i < 26; i++) await draft(f)
    const first = await get({})
    const next = /href="([^"]*cursor=[^"]+)"/.exec(first.text())?.[1]?.replace(/&amp;/g, '&')
    assert.isString(next)
    assert.lengthOf(rowIds(first.text()), 25)
    const second = await client.get(next!).header('host', f.t.host).loginAs(f.t.owner)
    assert.lengthOf(rowIds(second.text()), 4)
    assert.lengthOf([...new Set([...rowIds(first.text()), ...rowIds(second.text())])], 29)
  })
})

test.group('Invoicing UI: editor', () => {
  test('creates a draft with decimal quantities, discounts and taxes; totals computed on the server', async ({ client, assert }) => {
    const f = await fixture()
    const response = await client
      .post('/app/invoicing/invoices')
      .header('host', f.t.host)
      .loginAs(f.t.owner)
      .withCsrfToken()
      .redirects(0)
      .form({
        client_id: String(f.client.id),
        currency: 'EUR',
        language: 'en',
        issue_date: '2026-04-01',
        due_date: '2026-04-15',
        buyer_reference: 'BR-1',
        'lines[0][description]': 'Design work',
        'lines[0][quantity]': '1.5',
        'lines[0][unit_price]': '80.00',
        'lines[0][discount_type]': 'percent',
        'lines[0][discount_value]': '10',
        'lines[0][tax_rate_id]': String(f.standardRate.id),
        'lines[1][description]': 'Hosting',
        'lines[1][quantity]': '1',
        'lines[1][unit_price]': '20',
        'lines[1][tax_rate_id]': '',
        intent: 'save',
      })
    response.assertStatus(302)
    const doc = await f.t.run(() => Document.query().orderBy('id', 'desc').firstOrFail())
    assert.equal(response.header('location'), `/app/invoicing/invoices/${doc.id}`)
    const lines = await f.t.run(() => DocumentLine.query().where('document_id', doc.id).orderBy('position'))
    assert.deepEqual(lines.map((l) => [l.quantity, l.unitPrice, l.netAmount]), [[15_000, 8000, 10_800], [10_000, 2000, 2000]])
    assert.equal(doc.subtotal, 12_800)
    assert.equal(doc.taxTotal, Math.round((10_800 * f.standardRate.rate) / 100_000))
    assert.equal(doc.total, doc.subtotal + doc.taxTotal)
    assert.equal(doc.buyerReference, 'BR-1')
  })

  test('bad input comes back as field errors, never a 500, and nothing is stored', async ({ client, assert }) => {
    const f = await fixture()
    const response = await client
      .post('/app/invoicing/invoices')
      .header('host', f.t.host)
      .loginAs(f.t.owner)
      .withCsrfToken()
      .form({
        client_id: '',
        currency: 'XXY',
        issue_date: 'soon',
        'lines[0][description]': '',
        'lines[0][quantity]': '1.23456',
        'lines[0][unit_price]': '1.234',
        intent: 'save',
      })
    response.assertStatus(422)
    const html = response.text()
    assert.include(html, 'Choose a client.')
    assert.include(html, 'Choose a valid currency.')
    assert.include(html, 'Enter a valid date.')
    assert.include(html, 'Enter a quantity with at most 4 decimals.')
    assert.match(html, /id="line-0-quantity"[^>]*aria-invalid="true"/)
    assert.equal(await f.t.run(async () => (await Document.query().count('* as n'))[0].$extras.n), 0)
  })

  test('live totals follow the form through services/totals.ts', async ({ client, assert }) => {
    const f = await fixture()
    const response = await client
      .post('/app/invoicing/invoices/editor/totals')
      .header('host', f.t.host)
      .header('hx-request', 'true')
      .loginAs(f.t.owner)
      .withCsrfToken()
      .form({
        currency: 'EUR',
        'lines[0][description]': 'A',
        'lines[0][quantity]': '2',
        'lines[0][unit_price]': '10.005',
        'lines[1][description]': 'B',
        'lines[1][quantity]': '3',
        'lines[1][unit_price]': '100',
        'lines[1][tax_rate_id]': String(f.standardRate.id),
      })
    response.assertStatus(200)
    assert.include(response.text(), 'id="invoicing-document-totals"')
    assert.include(response.text(), 'id="inv-line-amount-1" hx-swap-oob="true">€300.00')
  })

  test('add and remove line re-render the editor without saving; a finalised invoice cannot be edited', async ({ client, assert }) => {
    const f = await fixture()
    const added = await client
      .post('/app/invoicing/invoices')
      .header('host', f.t.host)
      .loginAs(f.t.owner)
      .withCsrfToken()
      .form({ client_id: String(f.client.id), currency: 'EUR', 'lines[0][description]': 'One', 'lines[0][quantity]': '1', 'lines[0][unit_price]': '5', intent: 'add_line' })
    added.assertStatus(200)
    assert.include(added.text(), 'id="line-1-description"')
    assert.equal(await f.t.run(async () => Number((await Document.query().count('* as n'))[0].$extras.n)), 0)

    const doc = await issued(f)
    const edit = await client.get(`/app/invoicing/invoices/${doc.id}/edit`).header('host', f.t.host).loginAs(f.t.owner).redirects(0)
    edit.assertStatus(302)
    const update = await client
      .post(`/app/invoicing/invoices/${doc.id}`)
      .header('host', f.t.host)
      .loginAs(f.t.owner)
      .withCsrfToken()
      .redirects(0)
      .form({ client_id: String(f.client.id), currency: 'EUR', 'lines[0][description]': 'Changed', 'lines[0][quantity]': '1', 'lines[0][unit_price]': '1', intent: 'save' })
    update.assertStatus(302)
    const lines = await f.t.run(() => DocumentLine.query().where('document_id', doc.id))
    assert.deepEqual(lines.map((l) => l.description), ['Consulting'])
  })

  test('picking a product fills the line with its name, price and tax rate', async ({ client, assert }) => {
    const f = await fixture()
    const product = await f.t.run(() => createProduct({ name: 'Support plan', description: 'Monthly', unit: 'MON', unit_price: 4999, currency: 'EUR', tax_rate_id: f.standardRate.id }))
    const response = await client
      .post('/app/invoicing/invoices/editor/lines')
      .header('host', f.t.host)
      .header('hx-request', 'true')
      .loginAs(f.t.owner)
      .withCsrfToken()
      .form({ currency: 'EUR', 'lines[0][product_id]': String(product.id), 'lines[0][quantity]': '2' })
    response.assertStatus(200)
    const html = response.text()
    assert.include(html, 'id="invoicing-document-lines"')
    assert.match(html, /id="line-0-description"[^>]*>Support plan\nMonthly<\/textarea>/)
    assert.match(html, /name="lines\[0\]\[unit_price\]" value="49.99"/)
    assert.include(html, `<option value="${f.standardRate.id}" selected`)
    assert.include(html, 'hx-swap-oob="true"')
    assert.include(html, '€99.98')
  })
})
