import { test } from '@japa/runner'
import { makeTenant, PASSWORD } from '#tests/helpers/tenants'
import { frontEndReady, signIn, submitLogin, urlFor, waitForFocus, widgetsLoaded } from '#tests/helpers/browser'

test.group('Browser: sign in', () => {
  test('a wrong password keeps the form and shows the error at the email field', async ({ visit, assert }) => {
    const t = await makeTenant()
    const page = await visit(urlFor(t, '/login'))
    await frontEndReady(page)
    await submitLogin(page, t.owner.email, 'not-the-password')

    const error = page.locator('#email-error')
    await error.waitFor()
    assert.equal((await error.textContent())?.trim(), 'Email or password is not correct.')
    assert.equal(await page.locator('#email').getAttribute('aria-invalid'), 'true')
    assert.equal(await page.locator('#email').getAttribute('aria-describedby'), 'email-error')
    assert.equal(await page.locator('#email').inputValue(), t.owner.email)
    assert.equal(await page.locator('#password').inputValue(), '')
    assert.equal(new URL(page.url()).pathname, '/login')
    /* focus goes to the field that needs fixing */
    await waitForFocus(page, '#email')
  })

  test('the right password lands on the dashboard, whose widgets load lazily', async ({ visit, assert }) => {
    const t = await makeTenant()
    const page = await signIn(visit, t)

    assert.equal(new URL(page.url()).pathname, '/app')
    assert.equal(await page.title(), `Dashboard · ${t.tenant.name}`)
    await widgetsLoaded(page)
    for (const id of ['kernel-widget-welcome', 'kernel-widget-team', 'kernel-widget-activity', 'sample-notes-widget']) {
      assert.isTrue(await page.locator(`#kernel-dashboard-widgets #${id}`).isVisible(), id)
    }
    assert.include(await page.locator('#kernel-widget-welcome').innerText(), 'Test Owner')
    assert.include(await page.locator('#kernel-widget-activity').innerText(), 'auth.login')
  })

  test('a signed-out visit to a page asks to sign in, then returns to that page', async ({ visit, assert }) => {
    const t = await makeTenant()
    const page = await visit(urlFor(t, '/app/sample'))
    const url = new URL(page.url())
    assert.equal(url.pathname, '/login')
    assert.equal(url.searchParams.get('next'), '/app/sample')

    await frontEndReady(page)
    await submitLogin(page, t.owner.email, PASSWORD)
    await page.waitForURL((u) => u.pathname === '/app/sample')
    assert.equal((await page.locator('h1').textContent())?.trim(), 'Sample notes')
  })

  test('signing out from the user menu ends the session', async ({ visit, assert }) => {
    const t = await makeTenant()
    const page = await signIn(visit, t)
    await page.locator('.user-button').click()
    await page.getByTestId('logout').click()
    await page.waitForURL((u) => u.pathname === '/login')

    await page.goto(urlFor(t, '/app'))
    assert.equal(new URL(page.url()).pathname, '/login')
  })
})
