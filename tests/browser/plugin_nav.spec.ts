import { test } from '@japa/runner'
import plugins from '#kernel/plugin_service'
import { makeTenant } from '#tests/helpers/tenants'
import { frontEndReady, signIn, urlFor, widgetsLoaded } from '#tests/helpers/browser'

test.group('Browser: plugin navigation', () => {
  test("an enabled plugin's nav entry is shown and opens its page", async ({ visit, assert }) => {
    const t = await makeTenant()
    const page = await signIn(visit, t)
    const entry = page.locator('[data-nav-id="sample.notes"]')
    assert.isTrue(await entry.isVisible())
    assert.equal((await entry.innerText()).trim(), 'Sample notes')

    await entry.click()
    await page.waitForURL((u) => u.pathname === '/app/sample')
    assert.equal((await page.locator('main h1').textContent())?.trim(), 'Sample notes')
    assert.equal(await page.locator('[data-nav-id="sample.notes"]').getAttribute('aria-current'), 'page')
    assert.isNull(await page.locator('[data-nav-id="kernel.dashboard"]').getAttribute('aria-current'))
  })

  test('disabling a plugin removes its nav entry, its widget and its pages', async ({ visit, assert }) => {
    const t = await makeTenant()
    const page = await signIn(visit, t)
    assert.equal(await page.locator('[data-nav-id="sample.notes"]').count(), 1)
    assert.equal(await page.locator('[data-widget-id="sample.count"]').count(), 1)

    await plugins.setEnabled(t.tenant, 'sample', false)
    await page.reload()
    await widgetsLoaded(page)
    await frontEndReady(page)
    assert.equal(await page.locator('[data-nav-id="sample.notes"]').count(), 0)
    assert.equal(await page.locator('[data-widget-id="sample.count"]').count(), 0)
    assert.equal(await page.locator('[data-nav-id="kernel.dashboard"]').count(), 1)

    const response = await page.goto(urlFor(t, '/app/sample'))
    assert.equal(response?.status(), 404)
    assert.equal((await page.locator('h1').textContent())?.trim(), 'Page not found')
    const widget = await page.goto(urlFor(t, '/app/sample/widget'))
    assert.equal(widget?.status(), 404)
  })
})
