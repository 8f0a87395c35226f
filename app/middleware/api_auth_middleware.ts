/*
| /api/v1: a bearer token of a user of this tenant. The token's scopes narrow the user's role
| permissions. Tokens of other tenants do not resolve (the user lookup is tenant scoped).
*/
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { permissionsOf, narrowByScopes } from '#services/access_service'
import { UnauthorizedError } from '#exceptions/domain_errors'

export default class ApiAuthMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    if (!ctx.tenant) throw new UnauthorizedError()
    const guard = ctx.auth.use('api')
    let user
    try {
      user = await guard.authenticate()
    } catch {
      throw new UnauthorizedError()
    }
    if (!user || user.status !== 'active' || user.tenantId !== ctx.tenant.id) {
      throw new UnauthorizedError()
    }
    const token = user.currentAccessToken
    const scopes = token.abilities ?? []
    ctx.permissions = narrowByScopes(await permissionsOf(user, ctx.enabledPlugins), scopes)
    ;(user as any).$permissions = ctx.permissions
    return next()
  }
}
