import { test } from '@japa/runner'
import { apiRateLimits } from '#api/rate_limit'
import { makeTenant } from '#tests/helpers/tenants'
import { assertProblem, tokenFor } from '#tests/helpers/api'
import { updateAdminPolicy } from '#services/admin_policy_service'

test.group('API rate limits set by the tenant', () => {
  test('a tenant limit per token answers 429 with Retry-After; another tenant keeps the default', async ({ client, assert }) => {
    const t = await makeTenant()
    await updateAdminPolicy(t.tenant.id, { auditRetentionDays: 365, apiRateLimitPerToken: 2, apiRateLimitPerIp: null })
    const token = await tokenFor(t.owner)
    for (let i = 0; i < 2; i++) {
      const ok = await client.get('/api/v1/me').header('host', t.host).bearerToken(token)
      ok.assertStatus(200)
      assert.equal(ok.header('ratelimit-limit'), '2')
    }
    const limited = await client.get('/api/v1/me').header('host', t.host).bearerToken(token)
    assertProblem(assert, limited, 429, 'E_TOO_MANY_REQUESTS')
    const retryAfter = Number(limited.header('retry-after'))
    assert.isAtLeast(retryAfter, 1)
    assert.isAtMost(retryAfter, apiRateLimits.windowSeconds)

    const other = await makeTenant()
    const fine = await client.get('/api/v1/me').header('host', other.host).bearerToken(await tokenFor(other.owner))
    fine.assertStatus(200)
    assert.equal(fine.header('ratelimit-limit'), String(apiRateLimits.perToken))
  })

  test('a tenant limit per client address applies before authentication', async ({ client, assert }) => {
    const t = await makeTenant()
    await updateAdminPolicy(t.tenant.id, { auditRetentionDays: 365, apiRateLimitPerToken: null, apiRateLimitPerIp: 2 })
    for (let i = 0; i < 2; i++) {
      assertProblem(assert, await client.get('/api/v1/me').header('host', t.host).bearerToken('cf_guess'), 401, 'E_UNAUTHORIZED')
    }
    const limited = await client.get('/api/v1/me').header('host', t.host).bearerToken('cf_guess')
    assertProblem(assert, limited, 429, 'E_TOO_MANY_REQUESTS')
    assert.isAtLeast(Number(limited.header('retry-after')), 1)
  })

  test('a stored limit above the installation limit is capped at it', async ({ client, assert }) => {
    const t = await makeTenant()
    await updateAdminPolicy(t.tenant.id, { auditRetentionDays: 365, apiRateLimitPerToken: apiRateLimits.perToken * 10, apiRateLimitPerIp: null })
    const ok = await client.get('/api/v1/me').header('host', t.host).bearerToken(await tokenFor(t.owner))
    assert.equal(ok.header('ratelimit-limit'), String(apiRateLimits.perToken))
  })
})
