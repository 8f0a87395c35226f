import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { withTenantScope } from '#tenancy/tenant_scoped'

export default class SocialIdentity extends compose(BaseModel, withTenantScope) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare userId: number

  @column()
  declare provider: 'google' | 'microsoft'

  @column()
  declare providerUserId: string

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime
}
