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

const SCOPE = Symbol('tenantScope')
const APPLIED = Symbol('tenantScopeApplied')

/*
| The tenant condition is added when the query runs (every path, reads, counts, updates and
| deletes, goes through execQuery), after wrapping the caller's where clauses in a group, so an
| `orWhere` can never widen the query past the tenant. Lucid builds unscoped queries internally
| (e.g. to read the dialect); they may exist but can never run.
*/
function instrument(query: any, table: string, modelName: string, tenantId: number | null, applied = false) {
  query[SCOPE] = tenantId
  query[APPLIED] = applied
  const execQuery = query.execQuery
  query.execQuery = function (this: any) {
    if (this[SCOPE] === null || this[SCOPE] === undefined) throw new MissingTenantError(modelName)
    if (!this[APPLIED]) {
      this[APPLIED] = true
      this.wrapExisting().where(`${table}.tenant_id`, this[SCOPE])
    }
    return execQuery.call(this)
  }
  const clone = query.clone
  query.clone = function (this: any) {
    return instrument(clone.call(this), table, modelName, this[SCOPE], this[APPLIED])
  }
  return query
}

export function withTenantScope<T extends NormalizeConstructor<typeof BaseModel>>(superclass: T) {
  class TenantScoped extends superclass {
    @column()
    declare tenantId: number

    static query<Model extends LucidModel>(
      this: Model,
      options?: ModelAdapterOptions
    ): ModelQueryBuilderContract<Model> {
      const query = (superclass as any).query.call(this, options)
      return instrument(query, this.table, this.name, tenantContext.tenantId())
    }

    /** Explicitly scoped query, for code running outside a request (jobs, commands) */
    static forTenant<Model extends LucidModel>(
      this: Model,
      tenantId: number,
      options?: ModelAdapterOptions
    ): ModelQueryBuilderContract<Model> {
      if (!tenantId) throw new MissingTenantError(this.name)
      return instrument((superclass as any).query.call(this, options), this.table, this.name, tenantId)
    }

    /** Platform-wide query across tenants. Rare, and logged with its reason. */
    static acrossTenants<Model extends LucidModel>(
      this: Model,
      reason: string,
      options?: ModelAdapterOptions
    ): ModelQueryBuilderContract<Model> {
      logger.info({ model: this.name, reason }, 'cross-tenant query')
      return (superclass as any).query.call(this, options)
    }

    static boot() {
      if (Object.hasOwn(this, 'booted') && this.booted) return
      super.boot()
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
