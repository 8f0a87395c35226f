import { test } from '@japa/runner'
import { makeTenant } from '#tests/helpers/tenants'
import { signIn } from '#tests/helpers/browser'

test.group('Browser: shell language', () => {
  test('the shell, its controls and the dashboard speak German when the user chose German', async ({ visit, assert }) => {
    const t = await makeTenant()
    t.owner.locale = 'de'
    await t.owner.save()
    const page = await signIn(visit, t)

    assert.equal(await page.locator('html').getAttribute('lang'), 'de')
    assert.equal((await page.locator('.skip-link').innerText()).trim(), 'Zum Inhalt springen')
    assert.equal((await page.locator('main h1').innerText()).trim(), 'Übersicht')
    assert.equal(await page.locator('#sidebar').getAttribute('aria-label'), 'Hauptnavigation')
    assert.equal(await page.getByTestId('theme-toggle').getAttribute('aria-label'), 'Farbschema: automatisch. Zu hell wechseln')
    await page.getByTestId('theme-toggle').click()
    assert.equal(await page.getByTestId('theme-toggle').getAttribute('aria-label'), 'Farbschema: hell. Zu dunkel wechseln')
    assert.equal((await page.locator('[data-nav-id="kernel.dashboard"]').innerText()).trim(), 'Übersicht')
    assert.include(await page.locator('#kernel-widget-welcome').innerText(), 'Hallo Test Owner')
  })
})
