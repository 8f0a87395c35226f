import { test } from '@japa/runner'
import { makeTenant } from '#tests/helpers/tenants'
import { assertAccessible, frontEndReady, overflowsX, screenshot, signIn } from '#tests/helpers/browser'
import NumberingSeries from '../../models/numbering_series.js'

test.group('Browser: Settings → Numbering', () => {
  test('create a series with the live preview and see its next number, also at 360 px', async ({ visit, assert }) => {
    const t = await makeTenant()
    const page = await signIn(visit, t, { path: '/app/invoicing/settings/numbering' })
    await page.locator('#invoicing-numbering-empty').waitFor()
    await page.getByRole('link', { name: 'New series' }).click()
    await page.locator('#invoicing-numbering-form').waitFor()
    await frontEndReady(page)

    await page.getByLabel('Name', { exact: true }).fill('Main invoices')
    await page.getByLabel('Counter restarts').selectOption('monthly')
    await page.getByLabel('Pattern', { exact: true }).fill('RE-{YYYY}-{counter:4}')
    /* a monthly series without the month in its pattern is refused as you type */
    await page.locator('#invoicing-numbering-preview .field-error').waitFor()
    await page.getByLabel('Pattern', { exact: true }).fill('RE-{YYYY}{MM}-{counter:4}')
    await page.locator('#invoicing-numbering-preview [data-preview]').waitFor()
    assert.match(await page.locator('#invoicing-numbering-preview [data-preview]').innerText(), /^RE-\d{6}-0001$/)
    await assertAccessible(page, assert, 'numbering form')
    await screenshot(page, 'invoicing-numbering-form')
    await page.getByRole('button', { name: 'Save' }).click()

    await page.locator('#invoicing-numbering-list').waitFor()
    const series = await NumberingSeries.forTenant(t.tenant.id).firstOrFail()
    assert.equal(series.reset, 'monthly')
    assert.match(await page.locator('[data-next-number]').first().innerText(), /^RE-\d{6}-0001$/)
    await assertAccessible(page, assert, 'numbering list')
    await screenshot(page, 'invoicing-numbering-list')

    await page.setViewportSize({ width: 360, height: 740 })
    await screenshot(page, 'invoicing-numbering-list-360')
    assert.isFalse(await overflowsX(page))
  }).timeout(60_000)
})
