import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { withTenantScope } from '#tenancy/tenant_scoped'

/** One in-app notification of one user */
export default class Notification extends compose(BaseModel, withTenantScope) {
  @column({ isPrimary: true, consume: (v) => Number(v) })
  declare id: number

  @column()
  declare userId: number

  @column()
  declare event: string

  @column()
  declare title: string

  @column()
  declare body: string | null

  @column({
    prepare: (v: unknown) => JSON.stringify(v ?? {}),
    consume: (v: string | null) => (v ? JSON.parse(v) : {}),
  })
  declare params: Record<string, string | number>

  @column()
  declare url: string | null

  @column.dateTime()
  declare readAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime
}
