import { test } from '@japa/runner'
import { makeTenant, PASSWORD } from '#tests/helpers/tenants'
import {
  applyMode,
  assertAccessible,
  frontEndReady,
  screenshot,
  signIn,
  submitLogin,
  urlFor,
} from '#tests/helpers/browser'

/* The kernel's own settings sections: the navigation must offer at least these */
const KERNEL_SETTINGS = [
  '/app/settings',
  '/app/settings/theme',
  '/app/settings/users',
  '/app/settings/roles',
  '/app/settings/plugins',
  '/app/settings/tokens',
  '/app/settings/audit',
]

test.group('Browser: accessibility (axe) with screenshots in tmp/screenshots', () => {
  test('sign-in page, empty and with a field error', async ({ visit, assert }) => {
    const t = await makeTenant()
    const page = await visit(urlFor(t, '/login'))
    await frontEndReady(page)
    await assertAccessible(page, assert, 'login')
    await screenshot(page, 'login')

    await submitLogin(page, t.owner.email, `${PASSWORD}-wrong`)
    await page.locator('#email-error').waitFor()
    await assertAccessible(page, assert, 'login with error')
    await screenshot(page, 'login-error')
  })

  test('dashboard light and dark, with the user menu, at 360 px with the drawer, and the 404 page', async ({ visit, assert }) => {
    const t = await makeTenant()
    const page = await signIn(visit, t)
    await assertAccessible(page, assert, 'dashboard (light)')
    await screenshot(page, 'dashboard-light')

    await page.locator('.user-button').click()
    await page.locator('#user-menu-list').waitFor()
    await assertAccessible(page, assert, 'dashboard with the user menu open')
    await screenshot(page, 'dashboard-menu')
    await page.keyboard.press('Escape')

    await applyMode(page, 'dark')
    await assertAccessible(page, assert, 'dashboard (dark)', { coloursOnly: true })
    await screenshot(page, 'dashboard-dark')
    await applyMode(page, 'light')

    await page.setViewportSize({ width: 360, height: 740 })
    await page.locator('#sidebar').waitFor({ state: 'hidden' })
    await assertAccessible(page, assert, 'dashboard (360 px)')
    await screenshot(page, 'dashboard-360')
    await page.getByTestId('nav-toggle').click()
    await page.locator('#sidebar').waitFor({ state: 'visible' })
    await assertAccessible(page, assert, 'dashboard (360 px, drawer open)')
    await screenshot(page, 'dashboard-360-nav')

    await page.setViewportSize({ width: 1280, height: 720 })
    const response = await page.goto(urlFor(t, '/app/no-such-page'))
    assert.equal(response?.status(), 404)
    await assertAccessible(page, assert, '404 page (light)')
    await screenshot(page, 'not-found')
    await applyMode(page, 'dark')
    await assertAccessible(page, assert, '404 page (dark)', { coloursOnly: true })
  })

  test('every settings page in the settings navigation, and a plugin settings page, light and dark', async ({ visit, assert }) => {
    const t = await makeTenant()
    const page = await signIn(visit, t, { path: '/app/settings' })
    const linked = await page
      .locator('#kernel-settings-nav a')
      .evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''))
    assert.includeMembers(linked, KERNEL_SETTINGS)

    for (const path of [...linked, '/app/settings/plugins/sample']) {
      const response = await page.goto(urlFor(t, path))
      assert.equal(response?.status(), 200, path)
      await frontEndReady(page)
      await assertAccessible(page, assert, `${path} (light)`)
      await screenshot(page, path.replace('/app/', '').replaceAll('/', '-'))
      await applyMode(page, 'dark')
      await assertAccessible(page, assert, `${path} (dark)`, { coloursOnly: true })
    }
  }).timeout(240_000)
})
