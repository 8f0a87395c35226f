import { test } from '@japa/runner'
import type { Page } from 'playwright'
import Role from '#models/role'
import User from '#models/user'
import { makeTenant } from '#tests/helpers/tenants'
import {
  assertAccessible,
  isSameDocument,
  markDocument,
  rootToken,
  screenshot,
  signIn,
} from '#tests/helpers/browser'

declare const document: any
declare const getComputedStyle: (el: unknown) => any

/** A custom property as resolved on an element (the preview panes override the theme tokens) */
function tokenOn(page: Page, selector: string, name: string): Promise<string> {
  return page.locator(selector).evaluate((el, n) => getComputedStyle(el).getPropertyValue(n).trim(), name)
}

/** Sets a colour input the way the picker does: new value, then an input event */
async function pickColour(page: Page, name: string, value: string) {
  await page.locator(`input[name="${name}"]`).evaluate((el: any, v) => {
    el.value = v
    el.dispatchEvent(new Event('input', { bubbles: true }))
  }, value)
}

test.group('Browser: settings', () => {
  test('{$self} passes the accessibility checks')
    .with([
      '/app/settings',
      '/app/settings/theme',
      '/app/settings/users',
      '/app/settings/roles',
      '/app/settings/plugins',
      '/app/settings/plugins/sample',
      '/app/settings/audit',
    ])
    .run(async ({ visit, assert }, path) => {
      const t = await makeTenant()
      const page = await signIn(visit, t, { path })
      assert.equal(await page.locator('#kernel-settings-nav [aria-current="page"]').count(), 1)
      await assertAccessible(page, assert, path)
      await screenshot(page, `settings${path.replace(/\//g, '-')}`)
    })

  test('the theme preview follows the form while editing and the saved theme applies to the page', async ({ visit, assert }) => {
    const t = await makeTenant()
    const page = await signIn(visit, t, { path: '/app/settings/theme' })
    const light = '#kernel-theme-preview [data-preview="light"]'

    await pickColour(page, 'primary', '#7a1f5c')
    assert.equal(await tokenOn(page, light, '--cf-primary'), '#7a1f5c')
    assert.equal(await tokenOn(page, light, '--cf-on-primary'), '#ffffff')
    await page.locator('#font').selectOption('serif')
    assert.include(await tokenOn(page, light, '--cf-font'), 'Georgia')

    const textRow = page.locator('[data-contrast="text:surface:4.5"]')
    await pickColour(page, 'text', '#9a9a9a')
    assert.equal(await textRow.getAttribute('class'), 'contrast-fail')
    assert.equal(await textRow.locator('[data-verdict]').innerText(), 'too low')
    await pickColour(page, 'text', '#1b1f2a')
    assert.equal(await textRow.getAttribute('class'), 'contrast-ok')
    /* nothing is saved while previewing */
    assert.notEqual(await rootToken(page, '--cf-primary'), '#7a1f5c')

    /* the theme is in the page head, which HTMX swaps keep: saving loads the page in full */
    await markDocument(page)
    await page.locator('#kernel-theme-form button[type="submit"]').click()
    await page.locator('.toast-success').waitFor()
    assert.isFalse(await isSameDocument(page))
    assert.equal(await rootToken(page, '--cf-primary'), '#7a1f5c')
    await screenshot(page, 'settings-theme-saved')
  })

  test('a refused theme keeps the typed colours in the form and preview, with the error', async ({ visit, assert }) => {
    const t = await makeTenant()
    const page = await signIn(visit, t, { path: '/app/settings/theme' })
    await pickColour(page, 'accent', '#e0e0e0')
    await page.locator('#kernel-theme-form button[type="submit"]').click()
    await page.locator('#accent-error').waitFor()
    assert.include(await page.locator('#accent-error').innerText(), 'WCAG AA needs at least 3:1')
    assert.equal(await page.locator('input[name="accent"]').inputValue(), '#e0e0e0')
    assert.equal(await tokenOn(page, '#kernel-theme-preview [data-preview="light"]', '--cf-accent'), '#e0e0e0')
    assert.notEqual(await rootToken(page, '--cf-accent'), '#e0e0e0')
  })

  test('changing a role swaps only the team table and shows a toast', async ({ visit, assert }) => {
    const t = await makeTenant()
    const staff = await t.user('staff')
    const viewer = await Role.forTenant(t.tenant.id).where('key', 'viewer').firstOrFail()
    const page = await signIn(visit, t, { path: '/app/settings/users' })
    await markDocument(page)
    await page.locator(`#role-${staff.id}`).selectOption(String(viewer.id))
    await page.locator(`tr[data-user-id="${staff.id}"] form[action$="/role"] button`).click()
    await page.locator('.toast-success').waitFor()
    assert.isTrue(await isSameDocument(page))
    assert.equal(new URL(page.url()).pathname, '/app/settings/users')
    assert.equal(await page.locator(`#role-${staff.id}`).inputValue(), String(viewer.id))
    assert.equal((await User.forTenant(t.tenant.id).where('id', staff.id).firstOrFail()).roleId, viewer.id)
  })

  test('filtering the audit log swaps the table and keeps the filters in the URL', async ({ visit, assert }) => {
    const t = await makeTenant()
    const page = await signIn(visit, t, { path: '/app/settings/audit' })
    await markDocument(page)
    const fragment = page.waitForResponse((r) => new URL(r.url()).searchParams.get('action') === 'auth.login')
    await page.locator('#audit-action').selectOption('auth.login')
    const response = await fragment
    assert.equal(await response.headerValue('vary'), 'HX-Request')
    await page.waitForURL((u) => u.searchParams.get('action') === 'auth.login')
    assert.isTrue(await isSameDocument(page))
    const actions = await page.locator('#kernel-audit-table tbody code').allInnerTexts()
    assert.isAbove(actions.length, 0)
    assert.deepEqual([...new Set(actions)], ['auth.login'])
    assert.equal(await page.evaluate(() => document.querySelectorAll('#kernel-audit-filters').length), 1)
  })
})
