/* A client's subscription to a plan, billed by an invoicing recurring profile */
import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { withTenantScope } from '#tenancy/tenant_scoped'

export type SubscriptionStatus = 'trialing' | 'active' | 'paused' | 'canceled'

export default class Subscription extends compose(BaseModel, withTenantScope) {
  static table = 'payments_subscriptions'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare clientId: number

  @column()
  declare planId: number

  @column()
  declare recurringProfileId: number | null

  @column()
  declare status: SubscriptionStatus

  @column({ consume: (v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v) })
  declare anchorOn: string

  @column({ consume: (v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v) })
  declare trialEndsOn: string | null

  @column({ consume: (v) => Boolean(v) })
  declare cancelAtPeriodEnd: boolean

  @column({ consume: (v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v) })
  declare endsOn: string | null

  @column.dateTime()
  declare canceledAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
