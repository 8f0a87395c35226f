/* The Stripe Customer of an invoicing client (created lazily) and its public "save a card" token */
import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { withTenantScope } from '#tenancy/tenant_scoped'

export default class BillingCustomer extends compose(BaseModel, withTenantScope) {
  static table = 'payments_customers'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare clientId: number

  @column()
  declare stripeCustomerId: string | null

  @column({ serializeAs: null })
  declare setupToken: string

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
