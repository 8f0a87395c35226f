import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { withTenantScope } from '#tenancy/tenant_scoped'

/** A tenant's session timeouts and password minimum (see services/session_tracking_policy.ts) */
export default class TenantAccountPolicy extends compose(BaseModel, withTenantScope) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare idleTimeoutMinutes: number

  @column()
  declare absoluteTimeoutMinutes: number

  @column()
  declare passwordMinLength: number

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
