/*
| Mixin for tenant-owned models. Every query is scoped to the tenant in context; a query built
| without one fails when it runs (fail closed). `forTenant(id)` scopes explicitly (jobs, CLI);
| `acrossTenants(reason)` is the rare, logged platform-wide escape hatch.
*/
import { BaseModel, column } from '@adonisjs/lucid/orm'
import type { NormalizeConstructor } from '@adonisjs/core/types/helpers'
import type {
  LucidModel,
  ModelAdapterOptions,
  ModelQueryBuilderContract,
} from '@adonisjs/lucid/types/model'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import logger from '@adonisjs/core/services/logger'
import { MissingTenantError, tenantContext } from '#tenancy/tenant_context'

const SCOPED = Symbol('tenantScoped')

function mark<T>(query: T): T {
  ;(query as any)[SCOPED] = true
  return query
}

/* Lucid builds unscoped queries internally (e.g. to read the dialect); they may exist but must
   never run, so execution paths are guarded rather than construction. */
function guard(query: any, modelName: string) {
  for (const method of ['update', 'del', 'delete', 'increment', 'decrement']) {
    const original = query[method]
    query[method] = function (...args: unknown[]) {
      if (!query[SCOPED]) throw new MissingTenantError(modelName)
      return original.apply(query, args)
    }
  }
  return query
}

function assertScoped(query: any, modelName: string) {
  if (!query[SCOPED]) throw new MissingTenantError(modelName)
}

export function withTenantScope<T extends NormalizeConstructor<typeof BaseModel>>(superclass: T) {
  class TenantScoped extends superclass {
    @column()
    declare tenantId: number

    static query<Model extends LucidModel>(
      this: Model,
      options?: ModelAdapterOptions
    ): ModelQueryBuilderContract<Model> {
      const query = guard((superclass as any).query.call(this, options), this.name)
      const tenantId = tenantContext.tenantId()
      if (tenantId === null) return query
      return mark(query.where(`${this.table}.tenant_id`, tenantId))
    }

    /** Explicitly scoped query, for code running outside a request (jobs, commands) */
    static forTenant<Model extends LucidModel>(
      this: Model,
      tenantId: number,
      options?: ModelAdapterOptions
    ): ModelQueryBuilderContract<Model> {
      if (!tenantId) throw new MissingTenantError(this.name)
      const query = guard((superclass as any).query.call(this, options), this.name)
      return mark(query.where(`${this.table}.tenant_id`, tenantId))
    }

    /** Platform-wide query across tenants. Rare, and logged with its reason. */
    static acrossTenants<Model extends LucidModel>(
      this: Model,
      reason: string,
      options?: ModelAdapterOptions
    ): ModelQueryBuilderContract<Model> {
      logger.info({ model: this.name, reason }, 'cross-tenant query')
      return mark(guard((superclass as any).query.call(this, options), this.name))
    }

    static boot() {
      if (Object.hasOwn(this, 'booted') && this.booted) return
      super.boot()
      this.before('find', (query: any) => assertScoped(query, this.name))
      this.before('fetch', (query: any) => assertScoped(query, this.name))
      this.before('paginate', ([countQuery, query]: any) => {
        assertScoped(query, this.name)
        assertScoped(countQuery, this.name)
      })
      this.before('create', (row: any) => {
        if (!row.tenantId) {
          const tenantId = tenantContext.tenantId()
          if (tenantId === null) throw new MissingTenantError(this.name)
          row.tenantId = tenantId
        }
      })
    }

    /* Updates and deletes of a loaded row also match its tenant: defence in depth */
    $getQueryFor(action: 'insert' | 'update' | 'delete' | 'refresh', client: QueryClientContract): any {
      const query = super.$getQueryFor(action as any, client) as any
      if (action === 'insert') return query
      return query.where(`${(this.constructor as LucidModel).table}.tenant_id`, this.tenantId)
    }
  }
  return TenantScoped
}
