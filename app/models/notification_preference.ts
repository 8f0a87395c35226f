import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { withTenantScope } from '#tenancy/tenant_scoped'

/** A user's choice for one event on one channel, where it differs from the default */
export default class NotificationPreference extends compose(BaseModel, withTenantScope) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare userId: number

  @column()
  declare event: string

  @column()
  declare channel: string

  @column({ consume: (v) => Boolean(v) })
  declare enabled: boolean

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
