import { test } from '@japa/runner'
import hooks from '#kernel/hooks'
import { publicPath } from '#plugins/invoicing/services/documents_tokens'
import Document from '#plugins/invoicing/models/document'
import Payment from '#plugins/invoicing/models/payment'
import { fixture, draft, issued, rowIds } from '#plugins/invoicing/tests/helpers/documents_ui'

const XSS = '<script>alert(1)</script><img src=x onerror=alert(2)>'

/* Another plugin's sidebar card, for the tenants a test names */
const sidebarTenants = new Set<number>()
hooks.addFilter(
  'ui.slot.invoicing.invoice_sidebar',
  (items, meta: any) =>
    sidebarTenants.has(meta.tenantId) ? [...items, { id: 'sample.card', html: `<p data-slot-item="sample.card">Balance ${Number(meta.document.balanceDue)}</p>` }] : items,
  { plugin: 'sample' }
)

test.group('Invoicing UI: document page and actions', () => {
  test('shows an invoice with lines, totals, status and the actions the owner may take', async ({ client, assert }) => {
    const f = await fixture()
    sidebarTenants.add(f.t.tenant.id)
    const doc = await draft(f)
    const page = await client.get(`/app/invoicing/invoices/${doc.id}`).header('host', f.t.host).loginAs(f.t.owner)
    page.assertStatus(200)
    const html = page.text()
    assert.include(html, `<p data-slot-item="sample.card">Balance ${doc.balanceDue}</p>`)
    assert.include(html, 'Consulting')
    assert.include(html, 'data-status="draft"')
    assert.include(html, `/app/invoicing/invoices/${doc.id}/finalize`)
    assert.include(html, `/app/invoicing/invoices/${doc.id}/edit`)
    assert.include(html, 'Globex Corporation')
  })

  test('finalise, mark sent, record a partial payment: the balance follows', async ({ client, assert }) => {
    const f = await fixture()
    const doc = await draft(f)
    const post = (path: string, form: Record<string, string> = {}) =>
      client.post(`/app/invoicing/invoices/${doc.id}${path}`).header('host', f.t.host).loginAs(f.t.owner).withCsrfToken().redirects(0).form(form)
    ;(await post('/finalize')).assertStatus(302)
    let fresh = await f.t.run(() => Document.findOrFail(doc.id))
    assert.equal(fresh.status, 'finalized')
    assert.isString(fresh.number)
    ;(await post('/mark-sent')).assertStatus(302)
    fresh = await f.t.run(() => Document.findOrFail(doc.id))
    assert.equal(fresh.status, 'sent')

    const bad = await post('/payments', { amount: '-5', paid_on: 'x', method: 'gold' })
    bad.assertStatus(302)
    bad.assertFlashMessage('errorsBag', {
      amount: 'Enter an amount greater than zero.',
      paid_on: 'Enter a valid date.',
      method: 'Choose a method.',
    })
    ;(await post('/payments', { amount: '100.00', paid_on: '2026-03-05', method: 'bank_transfer', reference: 'TX-1' })).assertStatus(302)
    fresh = await f.t.run(() => Document.findOrFail(doc.id))
    assert.equal(fresh.status, 'partially_paid')
    assert.equal(fresh.balanceDue, fresh.total - 10_000)
    const page = await client.get(`/app/invoicing/invoices/${doc.id}`).header('host', f.t.host).loginAs(f.t.owner)
    assert.match(page.text(), /data-testid="balance-due">[^<]*257\.00/)
    assert.include(page.text(), 'TX-1')

    const payments = await client.get('/app/invoicing/payments').header('host', f.t.host).loginAs(f.t.owner)
    payments.assertStatus(200)
    const payment = await f.t.run(() => Payment.query().firstOrFail())
    assert.include(payments.text(), `data-payment-id="${payment.id}"`)
    assert.include(payments.text(), fresh.number!)
    const filtered = await client.get('/app/invoicing/payments').qs({ method: 'cash' }).header('host', f.t.host).loginAs(f.t.owner)
    assert.notInclude(filtered.text(), `data-payment-id="${payment.id}"`)
  })

  test('a refused action (finalising an empty draft) comes back as a message, not an error page', async ({ client, assert }) => {
    const f = await fixture()
    const doc = await draft(f, 'invoice', { lines: [] })
    const response = await client.post(`/app/invoicing/invoices/${doc.id}/finalize`).header('host', f.t.host).loginAs(f.t.owner).withCsrfToken().redirects(0)
    response.assertStatus(302)
    assert.equal(response.header('location'), `/app/invoicing/invoices/${doc.id}`)
    assert.equal((await f.t.run(() => Document.findOrFail(doc.id))).status, 'draft')
  })

  test('quotes: list, accept, convert to an invoice draft', async ({ client, assert }) => {
    const f = await fixture()
    const quote = await issued(f, 'quote', { validUntil: '2099-01-01' })
    const list = await client.get('/app/invoicing/quotes').header('host', f.t.host).loginAs(f.t.owner)
    assert.deepEqual(rowIds(list.text()), [quote.id])
    assert.include(list.text(), 'id="invoicing-quotes-list"')
    const post = (path: string) => client.post(`/app/invoicing/quotes/${quote.id}${path}`).header('host', f.t.host).loginAs(f.t.owner).withCsrfToken().redirects(0)
    ;(await post('/accept')).assertStatus(302)
    assert.equal((await f.t.run(() => Document.findOrFail(quote.id))).status, 'accepted')
    const converted = await post('/convert')
    converted.assertStatus(302)
    const invoice = await f.t.run(() => Document.query().where('type', 'invoice').firstOrFail())
    assert.equal(converted.header('location'), `/app/invoicing/invoices/${invoice.id}`)
    assert.equal(invoice.status, 'draft')
  })

  test('void creates a credit note; write-off closes the balance', async ({ client, assert }) => {
    const f = await fixture()
    const a = await issued(f)
    const b = await issued(f)
    const post = (id: number, path: string) => client.post(`/app/invoicing/invoices/${id}${path}`).header('host', f.t.host).loginAs(f.t.owner).withCsrfToken().redirects(0)
    ;(await post(a.id, '/void')).assertStatus(302)
    assert.equal((await f.t.run(() => Document.findOrFail(a.id))).status, 'void')
    const note = await f.t.run(() => Document.query().where('type', 'credit_note').firstOrFail())
    const notes = await client.get('/app/invoicing/credit-notes').header('host', f.t.host).loginAs(f.t.owner)
    assert.deepEqual(rowIds(notes.text()), [note.id])
    ;(await post(b.id, '/write-off')).assertStatus(302)
    assert.equal((await f.t.run(() => Document.findOrFail(b.id))).status, 'written_off')
  })

  test('text fields with markup come back escaped on the list and the document page', async ({ client, assert }) => {
    const f = await fixture({ clientName: XSS })
    const doc = await draft(f, 'invoice', {
      notes: XSS,
      buyerReference: XSS,
      lines: [{ description: XSS, quantity: 10_000, unitPrice: 100, taxRateId: f.standardRate.id }],
    })
    const sent = await issued(f, 'invoice', { notes: XSS, lines: [{ description: XSS, quantity: 10_000, unitPrice: 100, taxRateId: f.standardRate.id }] })
    for (const url of ['/app/invoicing/invoices', `/app/invoicing/invoices/${doc.id}`, `/app/invoicing/invoices/${doc.id}/edit`, publicPath(sent)!]) {
      const html = (await client.get(url).header('host', f.t.host).loginAs(f.t.owner)).text()
      assert.notInclude(html, '<script>alert(1)</script>', url)
      assert.notInclude(html, '<img src=x', url)
      assert.include(html, '&lt;script&gt;alert(1)&lt;/script&gt;', url)
    }
  })
})
