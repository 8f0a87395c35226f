import { test } from '@japa/runner'
import { makeTenant, PASSWORD } from '#tests/helpers/tenants'
import {
  backgroundOf,
  frontEndReady,
  signIn,
  storedThemeMode,
  submitLogin,
  themeMode as mode,
  urlFor,
} from '#tests/helpers/browser'

test.group('Browser: light and dark mode', () => {
  test('the top bar button cycles automatic, light and dark, and the choice survives a reload', async ({ visit, assert }) => {
    const t = await makeTenant()
    const page = await signIn(visit, t)
    const toggle = page.getByTestId('theme-toggle')

    assert.equal(await mode(page), 'auto')
    const light = await backgroundOf(page)
    assert.match(await toggle.getAttribute('aria-label') ?? '', /automatic/)

    await toggle.click()
    assert.equal(await mode(page), 'light')
    assert.equal(await backgroundOf(page), light)
    assert.match(await toggle.getAttribute('aria-label') ?? '', /light/)

    await toggle.click()
    assert.equal(await mode(page), 'dark')
    const dark = await backgroundOf(page)
    assert.notEqual(dark, light)
    assert.match(await toggle.getAttribute('aria-label') ?? '', /dark/)
    assert.equal(await storedThemeMode(page), 'dark')

    await page.reload()
    await frontEndReady(page)
    assert.equal(await mode(page), 'dark')
    assert.equal(await backgroundOf(page), dark)
    assert.match(await toggle.getAttribute('aria-label') ?? '', /dark/)

    await toggle.click()
    assert.equal(await mode(page), 'auto')
    assert.equal(await backgroundOf(page), light)
  })

  test('automatic follows the colour scheme of the operating system', async ({ visit, assert }) => {
    const t = await makeTenant()
    const page = await signIn(visit, t)
    const light = await backgroundOf(page)
    await page.emulateMedia({ colorScheme: 'dark' })
    assert.equal(await mode(page), 'auto')
    assert.notEqual(await backgroundOf(page), light)
  })

  test('without JavaScript the button posts the next mode to the server', async ({ browser, assert }) => {
    const t = await makeTenant()
    const context = await browser.newContext({ javaScriptEnabled: false, locale: 'en-US', colorScheme: 'light' })
    try {
      const page = await context.newPage()
      await page.goto(urlFor(t, '/login'))
      await submitLogin(page, t.owner.email, PASSWORD)
      await page.waitForURL((u) => u.pathname === '/app')
      assert.equal(await mode(page), 'auto')
      const light = await backgroundOf(page)

      await page.getByTestId('theme-toggle').click()
      await page.locator('html[data-theme="light"]').waitFor({ state: 'attached' })
      assert.equal(await backgroundOf(page), light)
      await page.getByTestId('theme-toggle').click()
      await page.locator('html[data-theme="dark"]').waitFor({ state: 'attached' })
      assert.notEqual(await backgroundOf(page), light)
      assert.equal(new URL(page.url()).pathname, '/app')
    } finally {
      await context.close()
    }
  })
})
