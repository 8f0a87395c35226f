import { test } from '@japa/runner'
import Tenant from '#models/tenant'
import AuditLog from '#models/audit_log'
import { DEFAULT_THEME } from '#theming/theme'
import { makeTenant } from '#tests/helpers/tenants'

const THEME = {
  primary: '#0b5394',
  accent: '#38761d',
  surface: '#fffdf7',
  text: '#1a1a1a',
  surfaceDark: '#101418',
  textDark: '#f1f1f1',
  font: 'serif',
  radius: '4',
  logoUrl: 'https://cdn.example.com/logo.svg',
  mode: 'dark',
}

test.group('Settings: theme', () => {
  test('saving persists the tokens, audits them and the next page uses the new colours', async ({ client, assert }) => {
    const t = await makeTenant()
    const response = await client
      .post('/app/settings/theme')
      .header('host', t.host)
      .loginAs(t.owner)
      .form(THEME)
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(302)
    response.assertHeader('location', '/app/settings/theme')

    const tenant = await Tenant.findOrFail(t.tenant.id)
    assert.deepEqual(tenant.theme, { ...THEME, radius: 4 } as any)

    const log = await AuditLog.forTenant(t.tenant.id).where('action', 'tenant.theme_updated').firstOrFail()
    assert.equal(log.before!.primary, DEFAULT_THEME.primary)
    assert.equal(log.after!.primary, '#0b5394')
    assert.equal(log.after!.font, 'serif')

    const page = await client.get('/app/settings/theme').header('host', t.host).loginAs(t.owner)
    page.assertStatus(200)
    assert.include(page.text(), '--cf-primary:#0b5394')
    assert.include(page.text(), 'data-theme="dark"')
    assert.include(page.text(), 'src="https://cdn.example.com/logo.svg"')
    assert.include(page.text(), 'id="kernel-theme-preview"')
  })

  test('an HTMX save asks for a full page load, since the theme lives in the page head', async ({ client, assert }) => {
    const t = await makeTenant()
    const response = await client
      .post('/app/settings/theme')
      .header('host', t.host)
      .header('hx-request', 'true')
      .header('hx-boosted', 'true')
      .loginAs(t.owner)
      .form(THEME)
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(200)
    response.assertHeader('hx-redirect', '/app/settings/theme')
    assert.equal((await Tenant.findOrFail(t.tenant.id)).theme.primary, THEME.primary)
    response.assertFlashMessage('success', 'Theme saved.')
  })

  test('colours below WCAG AA are refused with the ratio and the minimum, and nothing is saved', async ({ client, assert }) => {
    const t = await makeTenant()
    const response = await client
      .post('/app/settings/theme')
      .header('host', t.host)
      .loginAs(t.owner)
      .form({ ...THEME, text: '#777777', surface: '#ffffff', accent: '#cccccc' })
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(302)
    const errors = response.flashMessages().errorsBag as Record<string, string>
    assert.equal(errors.text, 'Contrast against Background is 4.48:1; WCAG AA needs at least 4.5:1.')
    assert.equal(errors.accent, 'Contrast against Background is 1.61:1; WCAG AA needs at least 3:1.')
    assert.notProperty(errors, 'primary')

    assert.deepEqual((await Tenant.findOrFail(t.tenant.id)).theme, { ...DEFAULT_THEME } as any)
    assert.isNull(await AuditLog.forTenant(t.tenant.id).where('action', 'tenant.theme_updated').first())

    const page = await client
      .get('/app/settings/theme')
      .header('host', t.host)
      .loginAs(t.owner)
      .withFlashMessages(response.flashMessages())
    assert.include(page.text(), 'id="text-error"')
    assert.include(page.text(), 'value="#777777"')
    assert.include(page.text(), 'class="contrast-fail"')
  })

  test('the contrast message is German for German speakers', async ({ client, assert }) => {
    const t = await makeTenant()
    const response = await client
      .post('/app/settings/theme')
      .header('host', t.host)
      .header('accept-language', 'de')
      .loginAs(t.owner)
      .form({ ...THEME, textDark: '#333333', surfaceDark: '#222222' })
      .withCsrfToken()
      .redirects(0)
    const errors = response.flashMessages().errorsBag as Record<string, string>
    assert.equal(errors.textDark, 'Der Kontrast zu Hintergrund (dunkel) beträgt 1,26:1; WCAG AA verlangt mindestens 4,5:1.')
  })

  test('values that are not tokens are refused field by field', async ({ client, assert }) => {
    const t = await makeTenant()
    const response = await client
      .post('/app/settings/theme')
      .header('host', t.host)
      .loginAs(t.owner)
      .form({ ...THEME, primary: 'red;}body{display:none', font: 'comic', radius: '99', logoUrl: 'javascript:alert(1)', mode: 'neon' })
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(302)
    const errors = response.flashMessages().inputErrorsBag as Record<string, string[]>
    assert.sameMembers(Object.keys(errors), ['primary', 'font', 'radius', 'logoUrl', 'mode'])
    assert.deepEqual((await Tenant.findOrFail(t.tenant.id)).theme, { ...DEFAULT_THEME } as any)

    const page = await client
      .get('/app/settings/theme')
      .header('host', t.host)
      .loginAs(t.owner)
      .withFlashMessages(response.flashMessages())
    page.assertStatus(200)
    const styles = [...page.text().matchAll(/<style[^>]*>([^<]*)<\/style>/g)].map((m) => m[1]).join('')
    assert.include(styles, `--cf-primary:${DEFAULT_THEME.primary}`)
    assert.notInclude(styles, 'display:none')
  })

  test('reset restores the defaults and is audited', async ({ client, assert }) => {
    const t = await makeTenant()
    t.tenant.theme = { ...DEFAULT_THEME, primary: '#0b5394', logoUrl: 'https://cdn.example.com/x.png' }
    await t.tenant.save()
    const response = await client
      .post('/app/settings/theme/reset')
      .header('host', t.host)
      .loginAs(await t.user('admin'))
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(302)
    assert.deepEqual((await Tenant.findOrFail(t.tenant.id)).theme, { ...DEFAULT_THEME } as any)
    const log = await AuditLog.forTenant(t.tenant.id).where('action', 'tenant.theme_reset').firstOrFail()
    assert.deepEqual(log.before, { primary: '#0b5394', logoUrl: 'https://cdn.example.com/x.png' })
    assert.deepEqual(log.after, { primary: DEFAULT_THEME.primary, logoUrl: null })
  })

  test('an accountant sees the theme without the save and reset buttons', async ({ client, assert }) => {
    const t = await makeTenant()
    const page = await client.get('/app/settings/theme').header('host', t.host).loginAs(await t.user('accountant'))
    page.assertStatus(200)
    assert.notInclude(page.text(), 'data-testid="theme-reset"')
    assert.include(page.text(), '<fieldset class="settings-fieldset" disabled')
  })
})
