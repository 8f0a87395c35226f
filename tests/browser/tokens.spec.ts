import { test } from '@japa/runner'
import User from '#models/user'
import { makeTenant } from '#tests/helpers/tenants'
import { assertAccessible, isSameDocument, markDocument, screenshot, signIn } from '#tests/helpers/browser'

test.group('Browser: Settings → API tokens', () => {
  test('create a token (secret shown once), then revoke it in place', async ({ visit, assert }) => {
    const t = await makeTenant()
    const staff = await t.user('staff')
    const page = await signIn(visit, t, { user: staff, path: '/app/settings/tokens' })
    await assertAccessible(page, assert, 'tokens page')

    await page.getByLabel('Name').fill('Reporting')
    await page.locator('input[name="scopes[]"][value="kernel.users.view"]').check()
    await page.getByLabel('Expires').selectOption('30')
    await page.getByRole('button', { name: 'Create token' }).click()
    const secret = page.locator('#kernel-tokens-secret')
    await secret.waitFor()
    assert.match(await secret.inputValue(), /^cf_/)
    await assertAccessible(page, assert, 'tokens page with a new secret')
    await screenshot(page, 'settings-tokens-created')

    const [token] = await User.accessTokens.all(staff)
    const row = page.locator(`#kernel-tokens-row-${token.identifier}`)
    await row.waitFor()
    await markDocument(page)
    page.once('dialog', (dialog) => dialog.accept())
    await row.getByRole('button', { name: 'Revoke token “Reporting”' }).click()
    await row.waitFor({ state: 'detached' })
    await page.getByText('Token “Reporting” revoked.').waitFor()
    assert.isTrue(await isSameDocument(page), 'revoked with an HTMX swap, not a page load')
    assert.lengthOf(await User.accessTokens.all(staff), 0)
  })
})
