import { test } from '@japa/runner'
import { readdirSync, readFileSync } from 'node:fs'
import app from '@adonisjs/core/services/app'
import { makeTenant } from '#tests/helpers/tenants'

function flatten(obj: Record<string, any>, prefix = ''): string[] {
  return Object.entries(obj).flatMap(([k, v]) =>
    v && typeof v === 'object' ? flatten(v, `${prefix}${k}.`) : [`${prefix}${k}`]
  )
}

test.group('i18n', () => {
  test('German is complete: every English key exists in German and vice versa', ({ assert }) => {
    const dirs = [app.languageFilesPath()]
    for (const dir of dirs) {
      for (const file of readdirSync(`${dir}/en`)) {
        const en = flatten(JSON.parse(readFileSync(`${dir}/en/${file}`, 'utf8'))).sort()
        const de = flatten(JSON.parse(readFileSync(`${dir}/de/${file}`, 'utf8'))).sort()
        assert.deepEqual(de, en, `resources/lang/de/${file} differs from en`)
      }
    }
  })

  test('pages follow Accept-Language when the tenant has no preference', async ({ client }) => {
    const t = await makeTenant()
    const response = await client.get('/login').header('host', t.host).header('accept-language', 'de-DE,de;q=0.9')
    response.assertStatus(200)
    response.assertTextIncludes('Anmelden')
  })

  test('validation messages are translated', async ({ client }) => {
    const t = await makeTenant()
    const response = await client
      .post('/login')
      .header('host', t.host)
      .header('accept-language', 'de')
      .form({ email: 'not-an-email', password: 'x' })
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(302)
    response.assertFlashMessage('inputErrorsBag', { email: ['Bitte eine gültige E-Mail-Adresse eingeben.'] })
  })
})
