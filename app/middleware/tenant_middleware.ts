/*
| Server middleware: resolves the tenant from the Host and holds it (and its enabled plugins) in
| the tenant context for the rest of the request.
*/
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { resolveTenant } from '#tenancy/tenant_resolver'
import { tenantContext } from '#tenancy/tenant_context'
import plugins from '#kernel/plugin_service'
import type Tenant from '#models/tenant'
import { NotFoundError } from '#exceptions/domain_errors'

declare module '@adonisjs/core/http' {
  interface HttpContext {
    tenant: Tenant | null
    enabledPlugins: Set<string>
  }
}

export default class TenantMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    const url = ctx.request.url()
    if (url.startsWith('/health/') || url.startsWith('/assets/')) {
      ctx.tenant = null
      ctx.enabledPlugins = new Set()
      return next()
    }
    const resolution = await resolveTenant(ctx.request.header('host'))
    if (resolution.kind === 'tenant' && resolution.tenant.status === 'active') {
      const enabledPlugins = await plugins.enabledFor(resolution.tenant.id)
      ctx.tenant = resolution.tenant
      ctx.enabledPlugins = enabledPlugins
      return tenantContext.run({ tenant: resolution.tenant, enabledPlugins }, () => next())
    }
    ctx.tenant = null
    ctx.enabledPlugins = new Set()
    if (resolution.kind === 'unknown' || resolution.kind === 'tenant') {
      /* An unknown or suspended tenant host only serves the platform area */
      if (url.startsWith('/api/')) throw new NotFoundError('Unknown workspace')
      if (!url.startsWith('/platform')) {
        return ctx.response.status(404).send('Unknown tenant')
      }
    }
    return tenantContext.run(null, () => next())
  }
}
