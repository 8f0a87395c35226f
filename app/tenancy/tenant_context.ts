/*
| Holds the current tenant for a request or a job (AsyncLocalStorage), plus the set of plugins
| enabled for it, loaded once per request.
*/
import { AsyncLocalStorage } from 'node:async_hooks'
import type Tenant from '#models/tenant'

export interface TenantScope {
  tenant: Tenant
  enabledPlugins: Set<string>
}

const storage = new AsyncLocalStorage<TenantScope | null>()

export class MissingTenantError extends Error {
  code = 'E_MISSING_TENANT'
  status = 500
  constructor(what: string) {
    if (process.env.DEBUG_TENANT) console.trace('missing tenant', what)
    super(`No tenant in context while querying ${what}: use a tenant context or forTenant()`)
  }
}

export const tenantContext = {
  run<T>(scope: TenantScope | null, fn: () => T): T {
    return storage.run(scope, fn)
  },
  /** Sets the scope for the rest of the current async execution (used by middleware) */
  enter(scope: TenantScope | null) {
    storage.enterWith(scope)
  },
  current(): TenantScope | null {
    return storage.getStore() ?? null
  },
  tenant(): Tenant | null {
    return storage.getStore()?.tenant ?? null
  },
  tenantId(): number | null {
    return storage.getStore()?.tenant.id ?? null
  },
  requireTenant(what = 'tenant data'): Tenant {
    const tenant = this.tenant()
    if (!tenant) throw new MissingTenantError(what)
    return tenant
  },
}
