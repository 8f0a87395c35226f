import { test } from '@japa/runner'
import { makeTenant } from '#tests/helpers/tenants'
import { focused, frontEndReady, overflowsX, signIn, urlFor, waitForFocus, widgetsLoaded } from '#tests/helpers/browser'

test.group('Browser: small screens (360 px)', () => {
  test('sign-in and dashboard fit without horizontal scrolling', async ({ visit, assert }) => {
    const t = await makeTenant()
    const login = await visit(urlFor(t, '/login'))
    await login.setViewportSize({ width: 360, height: 740 })
    assert.isFalse(await overflowsX(login), 'login overflows')

    const page = await signIn(visit, t)
    await page.setViewportSize({ width: 360, height: 740 })
    await widgetsLoaded(page)
    assert.isFalse(await overflowsX(page), 'dashboard overflows')
    const sample = await page.goto(urlFor(t, '/app/sample'))
    assert.equal(sample?.status(), 200)
    assert.isFalse(await overflowsX(page), 'plugin page overflows')
  })

  test('the menu button opens the sidebar as a drawer; Escape and the backdrop close it', async ({ visit, assert }) => {
    const t = await makeTenant()
    const page = await signIn(visit, t)
    await page.setViewportSize({ width: 360, height: 740 })
    const toggle = page.getByTestId('nav-toggle')
    const sidebar = page.locator('#sidebar')

    assert.isTrue(await toggle.isVisible())
    await sidebar.waitFor({ state: 'hidden' })
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false')

    /* with the slide animation, and without it (reduced motion) */
    for (const reducedMotion of ['no-preference', 'reduce'] as const) {
      await page.emulateMedia({ reducedMotion })
      await toggle.click()
      await page.locator('#sidebar [data-nav-id="kernel.dashboard"]').waitFor({ state: 'visible' })
      assert.equal(await toggle.getAttribute('aria-expanded'), 'true')
      await waitForFocus(page, '#sidebar [data-nav-id="kernel.dashboard"]')

      await page.keyboard.press('Escape')
      await sidebar.waitFor({ state: 'hidden' })
      assert.equal(await toggle.getAttribute('aria-expanded'), 'false')
      assert.equal((await focused(page))?.testid, 'nav-toggle')

      await toggle.click()
      await sidebar.waitFor({ state: 'visible' })
      await page.mouse.click(350, 400)
      await sidebar.waitFor({ state: 'hidden' })
    }

    await toggle.click()
    await page.locator('#sidebar [data-nav-id="sample.notes"]').click()
    await page.waitForURL((u) => u.pathname === '/app/sample')
    await frontEndReady(page)
    assert.isFalse(await page.locator('#sidebar').isVisible())
  })
})
