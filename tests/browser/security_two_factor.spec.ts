import { test } from '@japa/runner'
import type { Page } from 'playwright'
import AuditLog from '#models/audit_log'
import { setRequiredRoles, totpCode, twoFactorStatus } from '#services/two_factor_service'
import { makeTenant, PASSWORD, type TestTenant } from '#tests/helpers/tenants'
import { assertAccessible, frontEndReady, screenshot, signIn, submitLogin, urlFor } from '#tests/helpers/browser'

/**
 * A platform authenticator in Chromium through the DevTools protocol: resident keys, user
 * verification, and presence confirmed without a prompt. Credentials live as long as the page.
 */
async function virtualAuthenticator(page: Page) {
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('WebAuthn.enable')
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  })
  return {
    async credentials() {
      const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId })
      return credentials
    },
  }
}

async function signOut(page: Page, t: TestTenant) {
  await page.locator('.user-button').click()
  await page.getByTestId('logout').click()
  await page.waitForURL((u) => u.pathname === '/login')
  await page.goto(urlFor(t, '/login'))
  await frontEndReady(page)
}

async function lastLogin(t: TestTenant) {
  return AuditLog.forTenant(t.tenant.id).where('action', 'auth.login').orderBy('id', 'desc').firstOrFail()
}

test.group('Browser: two-factor authentication', () => {
  test('a passkey is registered, then signs in on its own and as the second step', async ({ visit, assert }) => {
    const t = await makeTenant()
    const page = await signIn(visit, t)
    const authenticator = await virtualAuthenticator(page)

    await page.goto(urlFor(t, '/app/account/security'))
    await frontEndReady(page)
    const form = page.locator('#security-passkey-add')
    await form.waitFor({ state: 'visible' })
    await page.locator('#passkey-name').fill('Test laptop')
    await form.locator('button[type="submit"]').click()

    await page.locator('#security-passkey-list').getByText('Test laptop').waitFor()
    assert.lengthOf(await authenticator.credentials(), 1)
    assert.isTrue((await authenticator.credentials())[0].isResidentCredential)
    /* the first second factor brings the ten recovery codes, shown once */
    assert.equal(await page.locator('[data-testid="recovery-codes"] li').count(), 10)
    assert.include(await page.locator('#toasts').innerText(), 'Passkey Test laptop added.')
    const status = await t.run(() => twoFactorStatus(t.owner))
    assert.equal(status.passkeys, 1)
    assert.equal(status.recoveryCodesLeft, 10)
    const added = await AuditLog.forTenant(t.tenant.id).where('action', 'two_factor.passkey_added').firstOrFail()
    assert.equal(added.after?.name, 'Test laptop')
    await assertAccessible(page, assert, 'account security with a passkey')
    await screenshot(page, 'security-passkey-added')

    /* passwordless: the login page's passkey button */
    await signOut(page, t)
    const passkeyButton = page.locator('#passkey-login button[type="submit"]')
    await passkeyButton.waitFor({ state: 'visible' })
    await screenshot(page, 'security-login-with-passkey')
    await passkeyButton.click()
    await page.waitForURL((u) => u.pathname === '/app')
    assert.deepEqual((await lastLogin(t)).after, { via: 'passkey' })
    const used = await t.run(async () => (await import('#models/user_passkey')).default.query().where('user_id', t.owner.id).firstOrFail())
    assert.isNotNull(used.lastUsedAt)

    /* second step after the password */
    await signOut(page, t)
    await submitLogin(page, t.owner.email, PASSWORD)
    await page.waitForURL((u) => u.pathname === '/login/two-factor')
    await frontEndReady(page)
    const second = page.locator('#two-factor-passkey button[type="submit"]')
    await second.waitFor({ state: 'visible' })
    await assertAccessible(page, assert, 'second step with a passkey')
    await screenshot(page, 'security-second-step-passkey')
    await second.click()
    await page.waitForURL((u) => u.pathname === '/app')
    assert.deepEqual((await lastLogin(t)).after, { via: 'password', secondFactor: 'passkey' })
  })

  test('an authenticator app is set up from the QR page and asked for at the next sign-in', async ({ visit, assert }) => {
    const t = await makeTenant()
    const page = await signIn(visit, t)
    await page.goto(urlFor(t, '/app/account/security'))
    await frontEndReady(page)
    await page.locator('#security-totp-setup').click()
    await page.waitForURL((u) => u.pathname === '/app/account/security/totp')
    await frontEndReady(page)
    assert.isTrue(await page.locator('#totp-qr').isVisible())
    const secret = (await page.locator('#totp-secret').innerText()).trim()
    await assertAccessible(page, assert, 'TOTP enrolment')
    await screenshot(page, 'security-totp-enrolment')

    await page.locator('#code').fill('000000' === totpCode(secret) ? '111111' : '000000')
    await page.locator('#security-totp-confirm button[type="submit"]').click()
    await page.locator('#code-error').waitFor()
    assert.equal(new URL(page.url()).pathname, '/app/account/security/totp')

    await page.locator('#code').fill(totpCode(secret))
    await page.locator('#security-totp-confirm button[type="submit"]').click()
    await page.waitForURL((u) => u.pathname === '/app/account/security')
    await page.locator('[data-testid="recovery-codes"]').waitFor()
    const codes = (await page.locator('[data-testid="recovery-codes"] li').allInnerTexts()).map((c) => c.trim())
    assert.lengthOf(codes, 10)
    assert.equal((await page.getByTestId('totp-status').innerText()).trim(), 'On')
    await screenshot(page, 'security-totp-enabled')

    /* the codes are not shown again */
    await page.reload()
    assert.equal(await page.locator('[data-testid="recovery-codes"]').count(), 0)

    await signOut(page, t)
    await submitLogin(page, t.owner.email, PASSWORD)
    await page.waitForURL((u) => u.pathname === '/login/two-factor')
    await frontEndReady(page)
    await screenshot(page, 'security-second-step-totp')
    await page.locator('summary').getByText('Use a recovery code').click()
    await page.locator('#recoveryCode').fill(codes[0])
    await page.locator('#two-factor-recovery button[type="submit"]').click()
    await page.waitForURL((u) => u.pathname === '/app')
    assert.deepEqual((await lastLogin(t)).after, { via: 'password', secondFactor: 'recovery_code' })
  })

  test('an owner requires two-factor authentication for a role on the security settings page', async ({ visit, assert }) => {
    const t = await makeTenant()
    const page = await signIn(visit, t)
    await page.locator('a.nav-link[href="/app/settings"]').first().click()
    await page.waitForURL((u) => u.pathname === '/app/settings')
    await page.locator('[data-section-id="kernel.security"]').click()
    await page.waitForURL((u) => u.pathname === '/app/settings/security')
    await frontEndReady(page)
    await page.getByLabel('Staff').check()
    await page.locator('#kernel-security-two-factor button[type="submit"]').click()
    await page.locator('#toasts').getByText('Security settings saved.').waitFor()
    assert.isTrue(await page.getByLabel('Staff').isChecked())
    assert.deepEqual(await t.run(async () => (await import('#services/two_factor_service')).requiredRoles(t.tenant.id)), ['staff'])
    await assertAccessible(page, assert, 'security settings')
    await screenshot(page, 'security-settings-two-factor')
  })

  test('a member whose role requires it is led to enrolment first', async ({ visit, assert }) => {
    const t = await makeTenant()
    const staff = await t.user('staff')
    await t.run(() => setRequiredRoles(t.tenant, ['staff']))
    const page = await visit(urlFor(t, '/login'))
    await frontEndReady(page)
    await submitLogin(page, staff.email, PASSWORD)
    await page.waitForURL((u) => u.pathname === '/app/account/security')
    await frontEndReady(page)
    assert.isTrue(await page.locator('#security-enrolment-required').isVisible())
    await page.goto(urlFor(t, '/app/files'))
    assert.equal(new URL(page.url()).pathname, '/app/account/security')
    await page.setViewportSize({ width: 360, height: 800 })
    await assertAccessible(page, assert, 'enrolment required')
    await screenshot(page, 'security-enrolment-required-360')
  })
})
