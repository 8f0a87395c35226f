/*
| /api/v1: a bearer token of an active user of this tenant. The token's scopes narrow the user's
| role permissions. Tokens of other tenants do not resolve (the user lookup is tenant scoped), so
| they answer 401 like any unknown token. Then the per-token rate budget, and Idempotency-Key for
| POST requests: plugin API routes share this middleware, so they get both as well.
*/
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import type { AccessToken } from '@adonisjs/auth/access_tokens'
import { permissionsOf, narrowByScopes } from '#services/access_service'
import { UnauthorizedError } from '#exceptions/domain_errors'
import { consumeTokenBudget } from '#api/rate_limit'
import type User from '#models/user'
import IdempotencyMiddleware from '#middleware/idempotency_middleware'

const idempotency = new IdempotencyMiddleware()

declare module '@adonisjs/core/http' {
  interface HttpContext {
    /** the access token of an /api request, set by the `api` middleware */
    apiToken?: AccessToken
  }
}

export default class ApiAuthMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    const user = await this.authenticate(ctx)
    const token = user.currentAccessToken
    await consumeTokenBudget(ctx, token.identifier as string | number | bigint)
    ctx.apiToken = token
    ctx.permissions = narrowByScopes(await permissionsOf(user, ctx.enabledPlugins), token.abilities ?? [])
    ;(user as any).$permissions = ctx.permissions
    return idempotency.handle(ctx, next)
  }

  private async authenticate(ctx: HttpContext): Promise<User & { currentAccessToken: AccessToken }> {
    ctx.response.header('WWW-Authenticate', 'Bearer realm="api"')
    if (!ctx.tenant) throw new UnauthorizedError()
    let user
    try {
      user = await ctx.auth.use('api').authenticate()
    } catch {
      throw new UnauthorizedError()
    }
    if (!user || user.status !== 'active' || user.tenantId !== ctx.tenant.id) {
      throw new UnauthorizedError()
    }
    ctx.response.removeHeader('WWW-Authenticate')
    return user
  }
}
