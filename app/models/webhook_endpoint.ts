import { DateTime } from 'luxon'
import encryption from '@adonisjs/core/services/encryption'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { withTenantScope } from '#tenancy/tenant_scoped'

/** A tenant's receiver of outgoing webhooks; the signing secret is stored encrypted */
export default class WebhookEndpoint extends compose(BaseModel, withTenantScope) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare url: string

  @column()
  declare description: string | null

  @column({
    prepare: (v: string[]) => JSON.stringify(v ?? []),
    consume: (v: string | null) => (v ? JSON.parse(v) : []),
  })
  declare events: string[]

  @column({
    serializeAs: null,
    prepare: (v: string) => encryption.encrypt(v),
    consume: (v: string) => encryption.decrypt<string>(v) ?? '',
  })
  declare secret: string

  @column({ consume: (v) => Boolean(v) })
  declare enabled: boolean

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  subscribes(event: string) {
    return this.events.includes('*') || this.events.includes(event)
  }
}
