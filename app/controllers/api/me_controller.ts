import type { HttpContext } from '@adonisjs/core/http'
import type User from '#models/user'
import { roleKeyOf } from '#services/access_service'
import { serializeToken } from '#services/token_service'
import { isTwoFactorEnabled } from '#services/two_factor_service'

/** GET /api/v1/me: who the token speaks for, and what it may do here */
export default class MeController {
  async show(ctx: HttpContext) {
    const user = ctx.auth.use('api').user as User
    const tenant = ctx.tenant!
    return {
      data: {
        user: { id: user.id, email: user.email, name: user.fullName, locale: user.locale, status: user.status, twoFactorEnabled: await isTwoFactorEnabled(user) },
        tenant: { id: tenant.id, slug: tenant.slug, name: tenant.name, locale: tenant.locale, timezone: tenant.timezone, currency: tenant.currency },
        role: await roleKeyOf(user),
        permissions: [...ctx.permissions].sort(),
        token: serializeToken(ctx.apiToken!),
      },
    }
  }
}
