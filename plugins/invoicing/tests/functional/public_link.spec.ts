import { test } from '@japa/runner'
import hooks from '#kernel/hooks'
import Document from '#plugins/invoicing/models/document'
import { publicPath } from '#plugins/invoicing/services/documents_tokens'
import { fixture, issued, draft } from '#plugins/invoicing/tests/helpers/documents_ui'

/* Another plugin's "Pay" button, for one tenant only */
const slotTenants = new Set<number>()
hooks.addFilter(
  'ui.slot.invoicing.public_actions',
  (items, meta: any) =>
    slotTenants.has(meta.tenantId) ? [...items, { id: 'sample.pay', html: `<a data-slot-item="sample.pay" href="#pay">Pay ${Number(meta.document.balanceDue)}</a>` }] : items,
  { plugin: 'sample' }
)

test.group('Invoicing UI: public link', () => {
  test('the client opens the link: the document shows in the tenant page and becomes "viewed"', async ({ client, assert }) => {
    const f = await fixture()
    slotTenants.add(f.t.tenant.id)
    const doc = await issued(f)
    const path = publicPath(doc)!
    assert.match(path, /^\/p\/invoicing\/d\/[A-Za-z0-9_-]{43}$/)
    const page = await client.get(path).header('host', f.t.host)
    page.assertStatus(200)
    assert.include(page.text(), doc.number!)
    assert.include(page.text(), 'Consulting')
    assert.include(page.text(), 'data-slot-item="sample.pay"')
    assert.include(page.text(), `Pay ${doc.balanceDue}`)
    const fresh = await f.t.run(() => Document.findOrFail(doc.id))
    assert.equal(fresh.status, 'viewed')
    assert.isNotNull(fresh.viewedAt)
  })

  test('the page speaks the document\'s language', async ({ client, assert }) => {
    const f = await fixture()
    const doc = await issued(f, 'invoice', { language: 'de' })
    const page = await client.get(publicPath(doc)!).header('host', f.t.host)
    page.assertStatus(200)
    assert.include(page.text(), '<html lang="de"')
    assert.include(page.text(), 'Offener Betrag')
    assert.include(page.text(), 'Rechnung an')
    assert.include(page.text(), '357,00')
  })

  test('a signed-in staff preview does not mark it viewed', async ({ client, assert }) => {
    const f = await fixture()
    const doc = await issued(f)
    const page = await client.get(publicPath(doc)!).header('host', f.t.host).loginAs(f.t.owner)
    page.assertStatus(200)
    assert.include(page.text(), 'Preview')
    assert.equal((await f.t.run(() => Document.findOrFail(doc.id))).status, 'finalized')
  })

  test('a quote is accepted through the CSRF-protected form; without the token nothing changes', async ({ client, assert }) => {
    const f = await fixture()
    const quote = await issued(f, 'quote', { validUntil: '2099-12-31' })
    const path = publicPath(quote)!
    const forged = await client.post(`${path}/accept`).header('host', f.t.host).redirects(0)
    assert.notEqual((await f.t.run(() => Document.findOrFail(quote.id))).status, 'accepted')
    assert.oneOf(forged.status(), [302, 403, 419])
    const accepted = await client.post(`${path}/accept`).header('host', f.t.host).withCsrfToken().redirects(0)
    accepted.assertStatus(302)
    assert.equal(accepted.header('location'), path)
    assert.equal((await f.t.run(() => Document.findOrFail(quote.id))).status, 'accepted')
    const page = await client.get(path).header('host', f.t.host)
    assert.include(page.text(), 'you accepted this quote')
  })

  test('unknown tokens, drafts and other tenants\' tokens answer 404', async ({ client, assert }) => {
    const f = await fixture()
    const other = await fixture()
    const doc = await issued(f)
    const mine = await draft(f)
    ;(await client.get('/p/invoicing/d/' + 'A'.repeat(43)).header('host', f.t.host)).assertStatus(404)
    ;(await client.get('/p/invoicing/d/short').header('host', f.t.host)).assertStatus(404)
    ;(await client.get(publicPath(doc)!).header('host', other.t.host)).assertStatus(404)
    ;(await client.get(`${publicPath(doc)!}/pdf`).header('host', other.t.host)).assertStatus(404)
    assert.isNull(publicPath(mine))
  })
})
