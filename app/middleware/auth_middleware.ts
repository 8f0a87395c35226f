/*
| Staff pages: a signed-in, active user of this tenant. Loads the permissions of the user's role
| for Bouncer and the views.
*/
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { permissionsOf } from '#services/access_service'
import { mainNav } from '#services/shell_service'

declare module '@adonisjs/core/http' {
  interface HttpContext {
    permissions: Set<string>
  }
}

export default class AuthMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    const guard = ctx.auth.use('web')
    const user = guard.user
    if (!ctx.tenant || !user || user.status !== 'active' || user.tenantId !== ctx.tenant.id) {
      const target = `/login?next=${encodeURIComponent(ctx.request.url(true))}`
      if (ctx.isHtmx) {
        ctx.response.header('HX-Redirect', target)
        return ctx.response.status(401).send('')
      }
      return ctx.response.redirect(target)
    }
    ctx.permissions = await permissionsOf(user, ctx.enabledPlugins)
    ;(user as any).$permissions = ctx.permissions
    if ('view' in ctx) {
      ctx.view.share({
        user,
        permissions: ctx.permissions,
        nav: ctx.isHtmx && ctx.request.header('hx-request-type') === 'partial' ? [] : await mainNav(ctx),
        themeMode: ctx.session?.get('themeMode'),
      })
    }
    return next()
  }
}
