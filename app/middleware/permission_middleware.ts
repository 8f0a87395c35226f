import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { ForbiddenError } from '#exceptions/domain_errors'

/** Route guard: the user (or token) must hold every listed permission */
export default class PermissionMiddleware {
  async handle(ctx: HttpContext, next: NextFn, permissions: string[]) {
    for (const permission of permissions) {
      if (!ctx.permissions?.has(permission)) throw new ForbiddenError(permission)
    }
    return next()
  }
}
