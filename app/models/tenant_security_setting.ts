import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { withTenantScope } from '#tenancy/tenant_scoped'

/** A tenant's security settings (one row per tenant, created on first save) */
export default class TenantSecuritySetting extends compose(BaseModel, withTenantScope) {
  @column({ isPrimary: true })
  declare id: number

  @column({
    prepare: (v: string[]) => JSON.stringify(v ?? []),
    consume: (v: string | null) => (v ? JSON.parse(v) : []),
  })
  declare twoFactorRoles: string[]

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
