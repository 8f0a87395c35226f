import { test } from '@japa/runner'
import { makeTenant, PASSWORD } from '#tests/helpers/tenants'

test.group('Login throttling', () => {
  test('the 6th attempt after five wrong passwords is refused even with the right password', async ({ client, assert }) => {
    const t = await makeTenant()
    const attempt = (password: string) =>
      client
        .post('/login')
        .header('host', t.host)
        .header('referer', `http://${t.host}/login`)
        .form({ email: t.owner.email, password })
        .withCsrfToken()
        .redirects(0)

    for (let i = 0; i < 5; i++) {
      const wrong = await attempt('not-the-password')
      wrong.assertFlashMessage('errorsBag', { email: 'Email or password is not correct.' })
    }
    const response = await attempt(PASSWORD)
    response.assertStatus(302)
    response.assertHeader('location', `http://${t.host}/login`)
    const errors = response.flashMessage('errorsBag') as { email: string }
    assert.match(errors.email, /^Too many attempts\. Try again in \d+ seconds\.$/)
    const page = await client.get('/app').header('host', t.host).redirects(0)
    page.assertStatus(302)
  })

  test('the account is limited per tenant: the same address elsewhere still signs in', async ({ client }) => {
    const a = await makeTenant()
    const b = await makeTenant()
    const email = 'shared@example.com'
    await a.run(async () => (await a.user('staff')).merge({ email }).save())
    await b.run(async () => (await b.user('staff')).merge({ email }).save())
    for (let i = 0; i < 6; i++) {
      await client
        .post('/login')
        .header('host', a.host)
        .form({ email, password: 'not-the-password' })
        .withCsrfToken()
        .redirects(0)
    }
    const response = await client
      .post('/login')
      .header('host', b.host)
      .form({ email, password: PASSWORD })
      .withCsrfToken()
      .redirects(0)
    response.assertHeader('location', '/app')
  })

  test('a successful sign-in resets the account count', async ({ client }) => {
    const t = await makeTenant()
    const post = (password: string) =>
      client
        .post('/login')
        .header('host', t.host)
        .form({ email: t.owner.email, password })
        .withCsrfToken()
        .redirects(0)
    for (let i = 0; i < 4; i++) await post('not-the-password')
    ;(await post(PASSWORD)).assertHeader('location', '/app')
    for (let i = 0; i < 4; i++) await post('not-the-password')
    ;(await post(PASSWORD)).assertHeader('location', '/app')
  })
})
