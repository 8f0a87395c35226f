/*
| Sessions in real browsers: two browser contexts are two devices of one user; revoking one
| from the other signs it out on its very next request. Also the account pages' accessibility
| and layout at 360 px, and the breached-password message in the password form.
*/
import { test } from '@japa/runner'
import type { Browser } from 'playwright'
import TrackedSession from '#models/tracked_session'
import { makeTenant, PASSWORD, type TestTenant } from '#tests/helpers/tenants'
import { assertAccessible, frontEndReady, overflowsX, screenshot, submitLogin, urlFor } from '#tests/helpers/browser'

const PHONE_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1'

/** A fresh browser context (its own cookies: a separate device) signed in through the form */
async function device(browser: Browser, t: TestTenant, options: { userAgent?: string; viewport?: { width: number; height: number } } = {}) {
  const context = await browser.newContext({ locale: 'en-US', ...options })
  const page = await context.newPage()
  await page.goto(urlFor(t, '/login'))
  await frontEndReady(page)
  await submitLogin(page, t.owner.email, PASSWORD)
  await page.waitForURL((u) => u.pathname === '/app')
  return { context, page }
}

test.group('Browser: sessions', () => {
  test('revoking the other device from the sessions page signs it out on its next request', async ({ browser, assert }) => {
    const t = await makeTenant()
    const laptop = await device(browser, t)
    const phone = await device(browser, t, { userAgent: PHONE_UA })
    try {
      const page = laptop.page
      await page.goto(urlFor(t, '/app/account/sessions'))
      await frontEndReady(page)
      const rows = page.locator('#kernel-sessions-table tbody tr')
      assert.equal(await rows.count(), 2)
      const current = page.locator('#kernel-sessions-table tr[data-current="true"]')
      assert.include(await current.innerText(), 'This device')
      const phoneRow = page.locator('#kernel-sessions-table tbody tr', { hasText: 'Safari · iPhone' })
      assert.include(await phoneRow.innerText(), '127.0.0.1')
      await assertAccessible(page, assert, 'sessions page')
      await screenshot(page, 'security-sessions-list')

      await phoneRow.getByRole('button', { name: /Sign out the session on Safari · iPhone/ }).click()
      await page.locator('#toasts', { hasText: 'The session was signed out.' }).waitFor()
      assert.equal(await rows.count(), 1)
      const revoked = await TrackedSession.forTenant(t.tenant.id).whereNotNull('revoked_at').firstOrFail()
      assert.equal(revoked.deviceLabel, 'Safari · iPhone')

      /* the phone's very next request: a boosted click in the app it still shows */
      await frontEndReady(phone.page)
      await phone.page.locator('a.nav-link[href="/app"]').first().click()
      await phone.page.waitForURL((u) => u.pathname === '/login')
      await phone.page.locator('#toasts', { hasText: 'Your session was signed out. Please sign in again.' }).waitFor()
      await screenshot(phone.page, 'security-sessions-signed-out')
      await phone.page.goto(urlFor(t, '/app'))
      assert.equal(new URL(phone.page.url()).pathname, '/login')

      /* the laptop carries on */
      await page.goto(urlFor(t, '/app/account/sessions'))
      assert.equal(new URL(page.url()).pathname, '/app/account/sessions')
    } finally {
      await laptop.context.close()
      await phone.context.close()
    }
  })

  test('the password form shows why a breached password is refused, at 360 px without sideways scrolling', async ({ browser, assert }) => {
    const t = await makeTenant()
    const phone = await device(browser, t, { viewport: { width: 360, height: 800 } })
    try {
      const page = phone.page
      await page.goto(urlFor(t, '/app/account'))
      await frontEndReady(page)
      await assertAccessible(page, assert, 'account page')
      await page.locator('#password-current-password').fill(PASSWORD)
      await page.locator('#password').fill('qwertyqwerty')
      await page.locator('#password_confirmation').fill('qwertyqwerty')
      await page.getByRole('button', { name: 'Change password' }).click()
      const error = page.locator('#password-error')
      await error.waitFor()
      assert.include(await error.innerText(), 'appears in a list of passwords exposed in data breaches')
      assert.equal(await page.locator('#password').getAttribute('aria-invalid'), 'true')
      assert.equal(await page.locator('#password').inputValue(), '')
      assert.isFalse(await overflowsX(page))
      await screenshot(page, 'security-account-breached-360')

      await page.goto(urlFor(t, '/app/account/sessions'))
      assert.isFalse(await overflowsX(page))
      await screenshot(page, 'security-sessions-360')
    } finally {
      await phone.context.close()
    }
  })

  test('the session settings page is accessible', async ({ browser, assert }) => {
    const t = await makeTenant()
    const owner = await device(browser, t)
    try {
      await owner.page.goto(urlFor(t, '/app/settings/sessions'))
      await frontEndReady(owner.page)
      await assertAccessible(owner.page, assert, 'session settings')
      await screenshot(owner.page, 'security-session-settings')
    } finally {
      await owner.context.close()
    }
  })
})
