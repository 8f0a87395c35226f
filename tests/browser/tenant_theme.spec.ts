import { test } from '@japa/runner'
import { makeTenant } from '#tests/helpers/tenants'
import { backgroundOf, rootToken as token, signIn, styleOf, urlFor } from '#tests/helpers/browser'
const loginButton = 'form[action="/login"] .button-primary'

test.group('Browser: tenant theme', () => {
  test('a saved theme recolours the sign-in page and the shell of that tenant only', async ({ visit, assert }) => {
    const t = await makeTenant()
    const other = await makeTenant()
    const login = await visit(urlFor(t, '/login'))
    assert.equal(await token(login, '--cf-primary'), '#3348d1')
    assert.equal(await backgroundOf(login, loginButton), 'rgb(51, 72, 209)')

    t.tenant.theme = { ...t.tenant.theme, primary: '#0f6b3a', radius: 2 }
    await t.tenant.save()

    await login.reload()
    assert.equal(await token(login, '--cf-primary'), '#0f6b3a')
    assert.equal(await backgroundOf(login, loginButton), 'rgb(15, 107, 58)')
    const otherLogin = await visit(urlFor(other, '/login'))
    assert.equal(await backgroundOf(otherLogin, loginButton), 'rgb(51, 72, 209)')

    const page = await signIn(visit, t)
    assert.equal(await backgroundOf(page, '.avatar'), 'rgb(15, 107, 58)')
    assert.equal(await backgroundOf(page, '.brand-mark'), 'rgb(15, 107, 58)')
    assert.equal(await styleOf(page, '[data-nav-id="kernel.dashboard"]', 'borderTopLeftRadius'), '2px')
  })
})
