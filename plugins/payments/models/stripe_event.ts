import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { withTenantScope } from '#tenancy/tenant_scoped'

export type StripeEventStatus = 'received' | 'processing' | 'processed' | 'failed' | 'ignored'

export default class StripeEvent extends compose(BaseModel, withTenantScope) {
  static table = 'payments_stripe_events'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare eventId: string

  @column()
  declare type: string

  @column({ consume: (v) => Boolean(v) })
  declare livemode: boolean

  @column()
  declare payload: string

  @column()
  declare status: StripeEventStatus

  @column()
  declare attempts: number

  @column()
  declare error: string | null

  @column.dateTime()
  declare stripeCreatedAt: DateTime | null

  @column.dateTime()
  declare processedAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  get prettyPayload() {
    try {
      return JSON.stringify(JSON.parse(this.payload), null, 2)
    } catch {
      return this.payload
    }
  }
}
