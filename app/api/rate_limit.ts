/*
| /api rate limits on @adonisjs/limiter: one budget per client IP and tenant (checked before
| authentication, so bad tokens are limited too) and one per access token (after it). Every API
| response carries the IETF draft `RateLimit-*` headers of the tighter of the two budgets.
*/
import type { HttpContext } from '@adonisjs/core/http'
import limiter from '@adonisjs/limiter/services/main'
import { errors } from '@adonisjs/limiter'
import env from '#start/env'
import { adminPolicyOf } from '#services/admin_policy_service'

/** Requests per window; mutable so tests can tighten them for one case */
export const apiRateLimits = {
  perToken: env.get('API_RATE_LIMIT') ?? 120,
  perIp: env.get('API_RATE_LIMIT_IP') ?? 600,
  windowSeconds: 60,
}

interface Budget {
  limit: number
  remaining: number
  reset: number
}

declare module '@adonisjs/core/http' {
  interface HttpContext {
    apiRateLimit?: Budget
  }
}

function setHeaders(ctx: HttpContext, budget: Budget) {
  const current = ctx.apiRateLimit
  if (current && current.remaining < budget.remaining) return
  ctx.apiRateLimit = budget
  ctx.response.header('RateLimit-Limit', String(budget.limit))
  ctx.response.header('RateLimit-Remaining', String(budget.remaining))
  ctx.response.header('RateLimit-Reset', String(budget.reset))
  ctx.response.header('RateLimit-Policy', `${budget.limit};w=${apiRateLimits.windowSeconds}`)
}

async function consume(ctx: HttpContext, key: string, requests: number) {
  const store = limiter.use({ requests, duration: apiRateLimits.windowSeconds })
  try {
    const res = await store.consume(key)
    setHeaders(ctx, { limit: res.limit, remaining: res.remaining, reset: Math.max(res.availableIn, 0) })
  } catch (error) {
    if (error instanceof errors.E_TOO_MANY_REQUESTS) {
      const reset = Math.max(error.response.availableIn, 1)
      ctx.apiRateLimit = undefined
      setHeaders(ctx, { limit: error.response.limit, remaining: 0, reset })
      ctx.response.header('Retry-After', String(reset))
    }
    throw error
  }
}

/* A tenant may set lower limits than the installation's (Network access settings); read once per request */
const limitsOfRequest = new WeakMap<HttpContext, Promise<{ perIp: number; perToken: number }>>()

function tenantLimits(ctx: HttpContext) {
  let limits = limitsOfRequest.get(ctx)
  if (!limits) {
    limits = (async () => {
      const policy = ctx.tenant ? await adminPolicyOf(ctx.tenant.id) : null
      return {
        perIp: Math.min(policy?.apiRateLimitPerIp ?? apiRateLimits.perIp, apiRateLimits.perIp),
        perToken: Math.min(policy?.apiRateLimitPerToken ?? apiRateLimits.perToken, apiRateLimits.perToken),
      }
    })()
    limitsOfRequest.set(ctx, limits)
  }
  return limits
}

export async function consumeIpBudget(ctx: HttpContext) {
  const scope = ctx.tenant ? ctx.tenant.id : 'platform'
  return consume(ctx, `api_ip_${scope}_${ctx.request.ip()}`, (await tenantLimits(ctx)).perIp)
}

export async function consumeTokenBudget(ctx: HttpContext, tokenId: string | number | bigint) {
  return consume(ctx, `api_token_${String(tokenId)}`, (await tenantLimits(ctx)).perToken)
}
