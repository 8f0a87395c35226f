import { test } from '@japa/runner'
import router from '@adonisjs/core/services/router'
import vine from '@vinejs/vine'
import { middleware } from '#start/kernel'
import { makeTenant } from '#tests/helpers/tenants'
import { assertProblem, tokenFor } from '#tests/helpers/api'

/* Test-only endpoints behind the real `api` middleware: a POST with a JSON body, and a crash */
const echoValidator = vine.create(vine.object({ title: vine.string().minLength(3), count: vine.number().min(1) }))
router
  .group(() => {
    router.post('/__test/echo', async ({ request, response }) => {
      return response.created({ data: await request.validateUsing(echoValidator) })
    })
    router.get('/__test/crash', async () => {
      throw new Error('connection to db-secret-host:5432 refused')
    })
  })
  .prefix('/api/v1')
  .use([middleware.api()])

test.group('API errors are problem+json', () => {
  test('an unknown API path answers 404', async ({ client, assert }) => {
    const t = await makeTenant()
    const token = await tokenFor(t.owner)
    const body = assertProblem(assert, await client.get('/api/v1/nope').header('host', t.host).bearerToken(token), 404, 'E_NOT_FOUND')
    assert.equal(body.type, 'https://coderon.dev/problems/not-found')
    assert.equal(body.title, 'Not Found')
    assert.equal(body.instance, '/api/v1/nope')
    assertProblem(assert, await client.get('/api/v2/users').header('host', t.host), 404, 'E_NOT_FOUND')
  })

  test('an unknown workspace host answers 404 problem+json', async ({ client, assert }) => {
    assertProblem(assert, await client.get('/api/v1/me').header('host', 'no-such-workspace.localhost'), 404, 'E_NOT_FOUND')
  })

  test('a wrong method answers 405 with Allow', async ({ client, assert }) => {
    const t = await makeTenant()
    const token = await tokenFor(t.owner)
    const response = await client.delete('/api/v1/users').header('host', t.host).bearerToken(token)
    assertProblem(assert, response, 405, 'E_METHOD_NOT_ALLOWED')
    assert.include(response.header('allow') ?? '', 'GET')
    assertProblem(assert, await client.get('/api/v1/__test/echo').header('host', t.host), 405, 'E_METHOD_NOT_ALLOWED')
  })

  test('a malformed JSON body answers 400', async ({ client, assert }) => {
    const t = await makeTenant()
    const token = await tokenFor(t.owner)
    const response = await client
      .post('/api/v1/__test/echo')
      .header('host', t.host)
      .bearerToken(token)
      .json('{"title": "abc",' as any)
    const body = assertProblem(assert, response, 400, 'E_MALFORMED_JSON')
    assert.notInclude(JSON.stringify(body), 'SyntaxError')
  })

  test('an invalid body answers 422 with errors[{field, message, rule}]', async ({ client, assert }) => {
    const t = await makeTenant()
    const token = await tokenFor(t.owner)
    const response = await client.post('/api/v1/__test/echo').header('host', t.host).bearerToken(token).json({ title: 'x', count: 0 })
    const body = assertProblem(assert, response, 422, 'E_VALIDATION_ERROR')
    assert.deepEqual(
      body.errors!.map((e) => [e.field, e.rule]),
      [
        ['title', 'minLength'],
        ['count', 'min'],
      ]
    )
    assert.isTrue(body.errors!.every((e) => typeof e.message === 'string' && e.message.length > 0))
    const ok = await client.post('/api/v1/__test/echo').header('host', t.host).bearerToken(token).json({ title: 'xyz', count: 2 })
    ok.assertStatus(201)
    ok.assertBody({ data: { title: 'xyz', count: 2 } })
  })

  test('a server error answers 500 without its message or stack', async ({ client, assert }) => {
    const t = await makeTenant()
    const token = await tokenFor(t.owner)
    const response = await client.get('/api/v1/__test/crash').header('host', t.host).bearerToken(token)
    const body = assertProblem(assert, response, 500, 'E_INTERNAL')
    assert.notInclude(response.text(), 'db-secret-host')
    assert.notInclude(response.text(), '.ts:')
    assert.equal(body.title, 'Internal Server Error')
  })
})
