import { test } from '@japa/runner'
import AuditLog from '#models/audit_log'
import { makeTenant } from '#tests/helpers/tenants'
import { assertProblem, tokenFor } from '#tests/helpers/api'
import Product from '../../models/product.js'
import TaxRate from '../../models/tax_rate.js'
import { createProduct, createTaxRate } from '../../services/catalogue.js'

const XSS = '<script>alert(1)</script>'

test.group('Invoicing catalogue: tax rates', () => {
  test('a new tenant gets the default EN 16931 tax rates once, with one default', async ({ assert }) => {
    const t = await makeTenant()
    const rates = await TaxRate.forTenant(t.tenant.id).orderBy('id')
    assert.deepEqual(rates.map((r) => r.category), ['S', 'S', 'Z', 'E', 'AE', 'K', 'G', 'O'])
    assert.deepEqual(rates.filter((r) => r.isDefault).map((r) => r.rate), [19000])
    for (const r of rates.filter((x) => ['E', 'AE', 'K', 'G', 'O'].includes(x.category))) assert.isNotEmpty(r.exemptionReason)
    const { seedDefaultTaxRates } = await import('../../services/catalogue.js')
    assert.equal(await seedDefaultTaxRates(t.tenant), 0, 'seeding again adds nothing')
    assert.lengthOf(await TaxRate.forTenant(t.tenant.id), 8)
  })

  test('the tax rate form validates EN 16931 rules and keeps one default', async ({ client, assert }) => {
    const t = await makeTenant()
    const post = (form: Record<string, string>) =>
      client.post('/app/invoicing/tax-rates').header('host', t.host).loginAs(t.owner).form(form).withCsrfToken().redirects(0)

    const noReason = await post({ name: 'Exempt medical', rate: '0', category: 'E', exemption_reason: '' })
    assert.equal(noReason.header('location'), '/app/invoicing/tax-rates/new')
    assert.property(noReason.flashMessages().errorsBag ?? {}, 'exemption_reason')
    const reverseWithRate = await post({ name: 'RC', rate: '19', category: 'AE', exemption_reason: 'Reverse charge' })
    assert.property(reverseWithRate.flashMessages().errorsBag ?? {}, 'rate')
    const badRate = await post({ name: 'Odd', rate: '7.7777', category: 'S' })
    assert.property(badRate.flashMessages().errorsBag ?? {}, 'rate')
    const taken = await post({ name: 'standard rate 19%', rate: '19', category: 'S' })
    assert.property(taken.flashMessages().errorsBag ?? {}, 'name')

    const ok = await post({ name: 'Swiss 7.7%', rate: '7,7', category: 'S', is_default: 'on' })
    assert.equal(ok.header('location'), '/app/invoicing/tax-rates')
    const swiss = await TaxRate.forTenant(t.tenant.id).where('name', 'Swiss 7.7%').firstOrFail()
    assert.equal(swiss.rate, 7700)
    assert.deepEqual((await TaxRate.forTenant(t.tenant.id).where('is_default', true)).map((r) => r.id), [swiss.id])

    const page = await client.get('/app/invoicing/tax-rates').header('host', t.host).loginAs(t.owner)
    page.assertStatus(200)
    assert.include(page.text(), '7.7 %')
    assert.include(page.text(), `data-tax-rate-id="${swiss.id}"`)

    const edit = await client.get(`/app/invoicing/tax-rates/${swiss.id}/edit`).header('host', t.host).loginAs(t.owner)
    assert.include(edit.text(), 'value="7.7"')
    await client.post(`/app/invoicing/tax-rates/${swiss.id}/archive`).header('host', t.host).loginAs(t.owner).withCsrfToken().redirects(0)
    await swiss.refresh()
    assert.isNotNull(swiss.archivedAt)
    assert.isFalse(swiss.isDefault)
    assert.isNotNull(await AuditLog.forTenant(t.tenant.id).where('action', 'invoicing.tax_rate.archived').first())
  })

  test('tax rates through the API, with rules as 422 problems', async ({ client, assert }) => {
    const t = await makeTenant()
    const token = await tokenFor(t.owner)
    const created = await client.post('/api/v1/tax-rates').header('host', t.host).bearerToken(token).json({ name: 'Export', rate: 0, category: 'G', exemption_reason: 'Export' })
    created.assertStatus(201)
    assert.containSubset(created.body().data, { rate: 0, category: 'G', percent: '0', is_default: false })
    const rule = await client.post('/api/v1/tax-rates').header('host', t.host).bearerToken(token).json({ name: 'K', rate: 0, category: 'K' })
    const problem = assertProblem(assert, rule, 422, 'E_VALIDATION_ERROR')
    assert.equal(problem.errors![0].field, 'exemption_reason')
    const category = await client.get('/api/v1/tax-rates?category=S').header('host', t.host).bearerToken(token)
    assert.deepEqual(category.body().data.map((r: { rate: number }) => r.rate).sort(), [19000, 7000].sort())
    const patched = await client.patch(`/api/v1/tax-rates/${created.body().data.id}`).header('host', t.host).bearerToken(token).json({ rate: 5000 })
    assertProblem(assert, patched, 422, 'E_VALIDATION_ERROR')
    const renamed = await client.patch(`/api/v1/tax-rates/${created.body().data.id}`).header('host', t.host).bearerToken(token).json({ name: 'Export (G)' })
    assert.equal(renamed.body().data.name, 'Export (G)')
    const removed = await client.delete(`/api/v1/tax-rates/${created.body().data.id}`).header('host', t.host).bearerToken(token)
    removed.assertStatus(204)
    const shown = await client.get(`/api/v1/tax-rates/${created.body().data.id}`).header('host', t.host).bearerToken(token)
    assert.isNotNull(shown.body().data.archived_at)
  })
})

test.group('Invoicing catalogue: products', () => {
  test('create a product through the form with a decimal price; too many decimals is a field error', async ({ client, assert }) => {
    const t = await makeTenant()
    const rate = await TaxRate.forTenant(t.tenant.id).where('is_default', true).firstOrFail()
    const form = { name: 'Consulting', sku: 'CONS-1', unit: 'HUR', unit_price: '120.50', currency: 'EUR', tax_rate_id: String(rate.id), description: '' }
    const post = (f: Record<string, string>) =>
      client.post('/app/invoicing/products').header('host', t.host).loginAs(t.owner).form(f).withCsrfToken().redirects(0)
    const tooPrecise = await post({ ...form, unit_price: '12.505' })
    assert.equal(tooPrecise.header('location'), '/app/invoicing/products/new')
    assert.property(tooPrecise.flashMessages().errorsBag ?? {}, 'unit_price')
    const yenDecimals = await post({ ...form, currency: 'JPY', unit_price: '100.5' })
    assert.property(yenDecimals.flashMessages().errorsBag ?? {}, 'unit_price')

    const ok = await post(form)
    assert.equal(ok.header('location'), '/app/invoicing/products')
    const product = await Product.forTenant(t.tenant.id).where('sku', 'CONS-1').firstOrFail()
    assert.equal(product.unitPrice, 12050)
    assert.equal(product.unit, 'HUR')
    assert.equal(product.taxRateId, rate.id)

    const dup = await post({ ...form, name: 'Other' })
    assert.property(dup.flashMessages().errorsBag ?? {}, 'sku')

    const kwd = await post({ ...form, sku: 'KW', currency: 'KWD', unit_price: '1.250' })
    assert.equal(kwd.header('location'), '/app/invoicing/products')
    assert.equal((await Product.forTenant(t.tenant.id).where('sku', 'KW').firstOrFail()).unitPrice, 1250)

    const list = await client.get('/app/invoicing/products').header('host', t.host).loginAs(t.owner)
    list.assertStatus(200)
    assert.include(list.text(), '€120.50')
    assert.include(list.text(), `data-product-id="${product.id}"`)
    const edit = await client.get(`/app/invoicing/products/${product.id}/edit`).header('host', t.host).loginAs(t.owner)
    assert.include(edit.text(), 'value="120.50"')
    const update = await client
      .post(`/app/invoicing/products/${product.id}`)
      .header('host', t.host)
      .loginAs(t.owner)
      .form({ ...form, unit_price: '99', tax_rate_id: '' })
      .withCsrfToken()
      .redirects(0)
    assert.equal(update.header('location'), '/app/invoicing/products')
    await product.refresh()
    assert.equal(product.unitPrice, 9900)
    assert.isNull(product.taxRateId)
    const search = await client.get('/app/invoicing/products?q=kw').header('host', t.host).header('hx-request', 'true').loginAs(t.owner)
    assert.match(search.text().trim(), /^<div class="card" id="invoicing-products-list">/)
    assert.lengthOf([...search.text().matchAll(/data-product-id=/g)], 1)
  })

  test('products through the API in minor units, with filters, pagination and errors', async ({ client, assert }) => {
    const t = await makeTenant()
    const other = await makeTenant()
    const foreignRate = await TaxRate.forTenant(other.tenant.id).firstOrFail()
    const token = await tokenFor(t.owner)
    const created = await client
      .post('/api/v1/products')
      .header('host', t.host)
      .bearerToken(token)
      .json({ name: 'Widget', unit: 'c62', unit_price: 1999, currency: 'EUR', sku: 'W-1' })
    created.assertStatus(201)
    assert.containSubset(created.body().data, { unit: 'C62', unit_price: 1999, unit_price_decimal: '19.99', currency: 'EUR' })
    const foreign = await client
      .post('/api/v1/products')
      .header('host', t.host)
      .bearerToken(token)
      .json({ name: 'Bad', unit: 'C62', unit_price: 1, currency: 'EUR', tax_rate_id: foreignRate.id })
    const problem = assertProblem(assert, foreign, 422, 'E_VALIDATION_ERROR')
    assert.equal(problem.errors![0].field, 'tax_rate_id')
    const invalid = await client.post('/api/v1/products').header('host', t.host).bearerToken(token).json({ name: '', unit: 'x', unit_price: 1.5, currency: 'XYZ' })
    const fields = assertProblem(assert, invalid, 422, 'E_VALIDATION_ERROR').errors!.map((e) => e.field)
    assert.includeMembers(fields, ['name', 'unit', 'unit_price', 'currency'])

    await t.run(async () => {
      for (let i = 0; i < 5; i++) await createProduct({ name: `P${i}`, unit: 'DAY', unit_price: 100 * i, currency: 'USD' })
    })
    const page1 = await client.get('/api/v1/products?limit=4&currency=USD').header('host', t.host).bearerToken(token)
    assert.lengthOf(page1.body().data, 4)
    assert.isString(page1.body().next_cursor)
    assert.match(page1.header('link') ?? '', /rel="next"/)
    const page2 = await client.get(`/api/v1/products?limit=4&currency=USD&cursor=${page1.body().next_cursor}`).header('host', t.host).bearerToken(token)
    assert.deepEqual(page2.body().data.map((p: { name: string }) => p.name), ['P4'])
    assert.isNull(page2.body().next_cursor)

    const patched = await client.patch(`/api/v1/products/${created.body().data.id}`).header('host', t.host).bearerToken(token).json({ unit_price: 2500, description: XSS })
    assert.equal(patched.body().data.unit_price, 2500)
    assert.equal(patched.body().data.description, XSS, 'JSON carries the text as it was typed')
    const page = await client.get('/app/invoicing/products').header('host', t.host).loginAs(t.owner)
    assert.notInclude(page.text(), XSS)
    assert.include(page.text(), '&lt;script&gt;alert(1)&lt;/script&gt;')
    const kwh = await client.post('/api/v1/products').header('host', t.host).bearerToken(token).json({ name: 'Power', unit: 'KWH', unit_price: 31, currency: 'EUR' })
    const kwhForm = await client.get(`/app/invoicing/products/${kwh.body().data.id}/edit`).header('host', t.host).loginAs(t.owner)
    assert.match(kwhForm.text(), /<option value="KWH" selected/, 'a unit outside the common list stays selected')

    const archived = await client.delete(`/api/v1/products/${created.body().data.id}`).header('host', t.host).bearerToken(token)
    archived.assertStatus(204)
    const active = await client.get('/api/v1/products?q=widget').header('host', t.host).bearerToken(token)
    assert.lengthOf(active.body().data, 0)
  })

  test('XSS in tax rate names and reasons comes back escaped', async ({ client, assert }) => {
    const t = await makeTenant()
    await t.run(() => createTaxRate({ name: XSS, rate: 0, category: 'E', exemption_reason: XSS }))
    for (const url of ['/app/invoicing/tax-rates', '/app/invoicing/products/new']) {
      const page = await client.get(url).header('host', t.host).loginAs(t.owner)
      page.assertStatus(200)
      assert.notInclude(page.text(), XSS, url)
      assert.include(page.text(), '&lt;script&gt;', url)
    }
  })
})
