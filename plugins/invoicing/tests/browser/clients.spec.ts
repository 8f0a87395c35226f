import { test } from '@japa/runner'
import { makeTenant } from '#tests/helpers/tenants'
import { assertAccessible, frontEndReady, screenshot, signIn } from '#tests/helpers/browser'
import Client from '../../models/client.js'
import Contact from '../../models/contact.js'

test.group('Browser: invoicing clients', () => {
  test('create a client with a contact through the UI', async ({ visit, assert }) => {
    const t = await makeTenant()
    const page = await signIn(visit, t, { path: '/app/invoicing/clients' })
    await page.locator('[data-nav-id="invoicing.clients"]').first().waitFor()
    await screenshot(page, 'invoicing-clients-empty')

    await page.getByRole('link', { name: 'New client' }).click()
    await page.locator('#invoicing-clients-form').waitFor()
    await frontEndReady(page)
    /* Submitting with a bad email and no name shows the field errors in place */
    await page.getByLabel('Email', { exact: true }).fill('not-an-email')
    await page.getByRole('button', { name: 'Save' }).click()
    await page.locator('#name-error').waitFor()
    await page.locator('#email-error').waitFor()
    await assertAccessible(page, assert, 'client form with errors')
    await screenshot(page, 'invoicing-client-form-errors')

    await page.getByLabel('Name', { exact: true }).fill('Nordlicht Design GmbH')
    await page.getByLabel('Email', { exact: true }).fill('billing@nordlicht.example')
    await page.getByLabel('VAT id').fill('DE 287 654 321')
    await page.getByLabel('Street and number').fill('Speicherstadt 12')
    await page.getByLabel('Postal code').fill('20457')
    await page.getByLabel('City').fill('Hamburg')
    await page.getByLabel('Country').fill('de')
    await page.getByRole('button', { name: 'Save' }).click()
    await page.locator('#invoicing-clients-details').waitFor()
    assert.include(await page.locator('#invoicing-clients-details').innerText(), 'DE287654321')

    /* The contact is added inline: the fragment swaps, the page stays */
    const form = page.locator('#invoicing-clients-contact-form')
    await form.getByLabel('First name').fill('Jana')
    await form.getByLabel('Last name').fill('Petersen')
    await form.getByLabel('Email').fill('jana@nordlicht.example')
    await form.getByLabel('Role').fill('Head of Finance')
    await form.getByRole('button', { name: 'Add contact' }).click()
    await page.locator('#invoicing-clients-contacts tr[data-contact-id]').first().waitFor()
    assert.include(await page.locator('#invoicing-clients-contacts').innerText(), 'Jana Petersen')
    await assertAccessible(page, assert, 'client page with a contact')
    await screenshot(page, 'invoicing-client-show')

    await page.setViewportSize({ width: 360, height: 800 })
    await screenshot(page, 'invoicing-client-show-360')

    const saved = await t.run(() => Client.query().where('name', 'Nordlicht Design GmbH').firstOrFail())
    const contacts = await t.run(() => Contact.query().where('client_id', saved.id))
    assert.lengthOf(contacts, 1)
    assert.isTrue(contacts[0].isPrimary)

    await page.setViewportSize({ width: 1280, height: 800 })
    await page.goto(page.url().replace(/\/clients\/\d+.*$/, '/clients'))
    await page.locator(`tr[data-client-id="${saved.id}"]`).waitFor()
    await assertAccessible(page, assert, 'client list')
    await screenshot(page, 'invoicing-clients-list')
  })
})

test.group('Browser: invoicing catalogue, import and recurring pages', () => {
  test('products, tax rates, the import preview and the recurring form are accessible', async ({ visit, assert }) => {
    const t = await makeTenant()
    const page = await signIn(visit, t, { path: '/app/invoicing/products/new' })
    await page.locator('#invoicing-products-form').waitFor()
    await page.getByLabel('Name', { exact: true }).fill('Design consulting')
    await page.getByLabel('Unit price').fill('120.505')
    await page.getByRole('button', { name: 'Save' }).click()
    await page.locator('#unit_price-error').waitFor()
    await assertAccessible(page, assert, 'product form with an error')
    await screenshot(page, 'invoicing-product-form-error')
    await page.getByLabel('Unit price').fill('120.50')
    await page.getByRole('button', { name: 'Save' }).click()
    await page.locator('#invoicing-products-list tr[data-product-id]').first().waitFor()
    assert.include(await page.locator('#invoicing-products-list').innerText(), '€120.50')
    await assertAccessible(page, assert, 'product list')
    await screenshot(page, 'invoicing-products')

    await page.getByRole('link', { name: 'Tax rates' }).click()
    await page.locator('#invoicing-tax-rates-list').waitFor()
    await assertAccessible(page, assert, 'tax rates')
    await screenshot(page, 'invoicing-tax-rates')

    await page.goto(page.url().replace(/\/app\/.*$/, '/app/invoicing/clients/import'))
    await page.locator('#import-file').setInputFiles({
      name: 'clients.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('name,email,currency,country\nAlpha GmbH,alpha@example.test,EUR,DE\n,missing@example.test,EUR,DE\nBeta,not-an-email,EUX,DE\n'),
    })
    await page.getByRole('button', { name: 'Preview' }).click()
    await page.locator('#invoicing-import-preview').waitFor()
    assert.equal(await page.locator('#invoicing-import-preview tr[data-result="create"]').count(), 1)
    assert.equal(await page.locator('#invoicing-import-preview tr[data-result="skip"]').count(), 2)
    await assertAccessible(page, assert, 'import preview')
    await screenshot(page, 'invoicing-import-preview')
    await page.getByRole('button', { name: 'Import 1 client' }).click()
    await page.locator('tr[data-client-id]').first().waitFor()

    await page.goto(page.url().replace(/\/app\/.*$/, '/app/invoicing/recurring/new'))
    await page.locator('#invoicing-recurring-form').waitFor()
    await assertAccessible(page, assert, 'recurring form')
    await screenshot(page, 'invoicing-recurring-form')
    await page.getByLabel('Name', { exact: true }).fill('Monthly retainer')
    await page.getByLabel('Client', { exact: true }).selectOption({ label: 'Alpha GmbH (EUR)' })
    await page.getByLabel('Description 1').fill('Retainer')
    await page.getByLabel('Quantity 1').fill('1')
    await page.getByLabel('Unit price 1').fill('1500')
    await page.getByRole('button', { name: 'Save' }).click()
    await page.locator('#invoicing-recurring-details').waitFor()
    await page.getByRole('button', { name: 'Create due invoices now' }).click()
    await page.locator('#invoicing-recurring-runs li[data-period]').first().waitFor()
    await assertAccessible(page, assert, 'recurring profile')
    await screenshot(page, 'invoicing-recurring-show')
  })
})
