import { test } from '@japa/runner'
import { makeTenant, PASSWORD } from '#tests/helpers/tenants'
import { allowlistOf } from '#services/ip_allowlist_service'
import User from '#models/user'
import { assertAccessible, overflowsX, screenshot, signIn } from '#tests/helpers/browser'

test.group('Browser: security administration', () => {
  test('network access: a lockout is refused with an explanation, a list with the own address saves', async ({ visit, assert }) => {
    const t = await makeTenant()
    const page = await signIn(visit, t, { path: '/app/settings/security/network' })
    assert.equal(await page.locator('#kernel-settings-nav [aria-current="page"]').count(), 1)
    await assertAccessible(page, assert, 'network access')

    await page.locator('#ui_ranges').fill('198.51.100.0/24')
    await page.locator('#kernel-network-ui button[type="submit"]').click()
    await page.locator('#ui_ranges-error').waitFor()
    assert.include(await page.locator('#ui_ranges-error').innerText(), 'would lock you out')
    assert.equal(await page.locator('#ui_ranges').inputValue(), '198.51.100.0/24')
    await screenshot(page, 'security-network-lockout')
    assert.deepEqual(await allowlistOf(t.tenant.id, 'ui'), [])

    await page.locator('#ui_ranges').fill('198.51.100.0/24 # office\n127.0.0.0/8 # this machine\n::1')
    await page.locator('#kernel-network-ui button[type="submit"]').click()
    await page.locator('#ui_ranges-error').waitFor({ state: 'detached' })
    await page.waitForFunction(() => (globalThis as any).document.querySelector('#ui_ranges')?.value.includes('::1/128'))
    assert.lengthOf(await allowlistOf(t.tenant.id, 'ui'), 3)

    /* The API list from an address outside it: the page still opens, the list is stored */
    await page.locator('#api_ranges').fill('203.0.113.0/24')
    await page.locator('#kernel-network-api button[type="submit"]').click()
    await page.getByText('The API allowlist was saved.').first().waitFor()
    assert.deepEqual(await allowlistOf(t.tenant.id, 'api'), [{ cidr: '203.0.113.0/24', label: null }])
    await screenshot(page, 'security-network-saved')

    await page.setViewportSize({ width: 360, height: 800 })
    assert.isFalse(await overflowsX(page))
    await screenshot(page, 'security-network-360')
  })

  test('transfer of ownership: the owner hands over and lands on the team page as an admin', async ({ visit, assert }) => {
    const t = await makeTenant()
    const admin = await t.user('admin')
    const page = await signIn(visit, t, { path: '/app/settings/users' })
    await page.locator('#kernel-ownership-link').click()
    await page.waitForURL((url) => url.pathname === '/app/settings/users/transfer-ownership')
    await assertAccessible(page, assert, 'transfer ownership')
    await page.locator('#userId').selectOption(String(admin.id))
    await page.locator('#password').fill('wrong password entirely')
    await page.locator('#kernel-ownership-transfer button[type="submit"]').click()
    await page.locator('#password-error').waitFor()
    assert.include(await page.locator('#password-error').innerText(), 'not correct')
    await screenshot(page, 'security-ownership-refused')

    await page.locator('#userId').selectOption(String(admin.id))
    await page.locator('#password').fill(PASSWORD)
    await page.locator('#kernel-ownership-transfer button[type="submit"]').click()
    await page.waitForURL((url) => url.pathname === '/app/settings/users')
    await page.getByText(`${admin.email} is now the owner`).first().waitFor()
    assert.equal(await page.locator('#kernel-ownership-link').count(), 0)
    const roles = await User.forTenant(t.tenant.id).whereIn('id', [admin.id, t.owner.id]).preload('role')
    assert.deepEqual(Object.fromEntries(roles.map((u) => [u.id, u.role.key])), { [admin.id]: 'owner', [t.owner.id]: 'admin' })
    await screenshot(page, 'security-ownership-done')
  })
})
