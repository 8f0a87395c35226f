import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { withTenantScope } from '#tenancy/tenant_scoped'

export default class CheckoutSession extends compose(BaseModel, withTenantScope) {
  static table = 'payments_checkout_sessions'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare invoiceId: number

  @column()
  declare sessionId: string

  @column()
  declare paymentIntentId: string | null

  @column()
  declare amount: number

  @column()
  declare currency: string

  @column()
  declare status: 'open' | 'complete' | 'expired'

  @column()
  declare url: string | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
