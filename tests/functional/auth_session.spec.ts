import { test } from '@japa/runner'
import { makeTenant, PASSWORD } from '#tests/helpers/tenants'

test.group('Staff session', () => {
  test('the dashboard needs a signed-in user', async ({ client }) => {
    const t = await makeTenant()
    const response = await client.get('/app').header('host', t.host).redirects(0)
    response.assertStatus(302)
    response.assertHeader('location', '/login?next=%2Fapp')
  })

  test('signing in with the right password opens the dashboard', async ({ client, assert }) => {
    const t = await makeTenant()
    const response = await client
      .post('/login')
      .header('host', t.host)
      .form({ email: t.owner.email, password: PASSWORD })
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(302)
    response.assertHeader('location', '/app')
    const page = await client.get('/app').header('host', t.host).loginAs(t.owner)
    page.assertStatus(200)
    assert.include(page.text(), 'id="kernel-dashboard-widgets"')
    page.assertHeader('vary', 'HX-Request')
  })

  test('a wrong password is refused with a field error', async ({ client }) => {
    const t = await makeTenant()
    const response = await client
      .post('/login')
      .header('host', t.host)
      .header('referer', `http://${t.host}/login`)
      .form({ email: t.owner.email, password: 'not-the-password' })
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(302)
    response.assertFlashMessage('errorsBag', { email: 'Email or password is not correct.' })
  })

  test('a user of another tenant cannot sign in here', async ({ client }) => {
    const a = await makeTenant()
    const b = await makeTenant()
    const response = await client
      .post('/login')
      .header('host', a.host)
      .form({ email: b.owner.email, password: PASSWORD })
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(302)
    response.assertFlashMessage('errorsBag', { email: 'Email or password is not correct.' })
  })

  test('a session of one tenant does not open another tenant', async ({ client }) => {
    const a = await makeTenant()
    const b = await makeTenant()
    const response = await client.get('/app').header('host', b.host).loginAs(a.owner).redirects(0)
    response.assertStatus(302)
  })

  test('a form post without a CSRF token is rejected', async ({ client }) => {
    const t = await makeTenant()
    const response = await client
      .post('/login')
      .header('host', t.host)
      .form({ email: t.owner.email, password: PASSWORD })
      .redirects(0)
    response.assertStatus(302)
    response.assertHeader('location', '/')
    const page = await client.get('/app').header('host', t.host).redirects(0)
    page.assertStatus(302)
  })
})
