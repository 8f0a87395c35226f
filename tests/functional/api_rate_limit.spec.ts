import { test } from '@japa/runner'
import { apiRateLimits } from '#api/rate_limit'
import { makeTenant } from '#tests/helpers/tenants'
import { assertProblem, tokenFor } from '#tests/helpers/api'

test.group('API rate limits', (group) => {
  const defaults = { ...apiRateLimits }
  group.each.teardown(() => {
    Object.assign(apiRateLimits, defaults)
  })

  test('every API response carries the RateLimit headers, errors included', async ({ client, assert }) => {
    const t = await makeTenant()
    const token = await tokenFor(t.owner)
    const responses = [
      await client.get('/api/v1/me').header('host', t.host).bearerToken(token),
      await client.get('/api/v1/me').header('host', t.host),
      await client.get('/api/v1/nothing-here').header('host', t.host).bearerToken(token),
      await client.get('/api/v1/openapi.json').header('host', t.host),
    ]
    assert.deepEqual(responses.map((r) => r.status()), [200, 401, 404, 200])
    for (const response of responses) {
      assert.match(response.header('ratelimit-limit') ?? '', /^\d+$/)
      assert.match(response.header('ratelimit-remaining') ?? '', /^\d+$/)
      assert.match(response.header('ratelimit-reset') ?? '', /^\d+$/)
      assert.isAtMost(Number(response.header('ratelimit-reset')), 60)
    }
    /* an authenticated answer reports the token's budget, the tighter one */
    assert.equal(responses[0].header('ratelimit-limit'), String(apiRateLimits.perToken))
    assert.equal(responses[0].header('ratelimit-remaining'), String(apiRateLimits.perToken - 1))
    assert.equal(responses[1].header('ratelimit-limit'), String(apiRateLimits.perIp))
  })

  test('a token over its budget gets 429 problem+json with Retry-After; other tokens go on', async ({ client, assert }) => {
    apiRateLimits.perToken = 3
    const t = await makeTenant()
    const token = await tokenFor(t.owner)
    const remaining: string[] = []
    for (let i = 0; i < 3; i++) {
      const ok = await client.get('/api/v1/me').header('host', t.host).bearerToken(token)
      ok.assertStatus(200)
      remaining.push(ok.header('ratelimit-remaining')!)
    }
    assert.deepEqual(remaining, ['2', '1', '0'])
    const limited = await client.get('/api/v1/me').header('host', t.host).bearerToken(token)
    assertProblem(assert, limited, 429, 'E_TOO_MANY_REQUESTS')
    const retryAfter = Number(limited.header('retry-after'))
    assert.isAtLeast(retryAfter, 1)
    assert.isAtMost(retryAfter, 60)
    assert.equal(limited.header('ratelimit-remaining'), '0')
    assert.equal(limited.header('ratelimit-limit'), '3')

    const other = await tokenFor(t.owner)
    ;(await client.get('/api/v1/me').header('host', t.host).bearerToken(other)).assertStatus(200)
  })

  test('requests without a valid token are limited per IP', async ({ client, assert }) => {
    apiRateLimits.perIp = 2
    const t = await makeTenant()
    for (let i = 0; i < 2; i++) {
      assertProblem(assert, await client.get('/api/v1/me').header('host', t.host).bearerToken('cf_guess'), 401, 'E_UNAUTHORIZED')
    }
    const limited = await client.get('/api/v1/me').header('host', t.host).bearerToken('cf_guess')
    assertProblem(assert, limited, 429, 'E_TOO_MANY_REQUESTS')
    assert.isAtLeast(Number(limited.header('retry-after')), 1)
    /* the budget is per tenant: the same client is not locked out of another workspace */
    const other = await makeTenant()
    assertProblem(assert, await client.get('/api/v1/me').header('host', other.host), 401, 'E_UNAUTHORIZED')
  })

  test('the web UI is not limited by the API budget', async ({ client }) => {
    apiRateLimits.perIp = 1
    const t = await makeTenant()
    await client.get('/api/v1/me').header('host', t.host)
    const page = await client.get('/login').header('host', t.host)
    page.assertStatus(200)
    page.assertHeaderMissing('ratelimit-limit')
  })
})
