/* A payment method a client saved at Stripe (card details as Stripe reports them, never the number) */
import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { withTenantScope } from '#tenancy/tenant_scoped'

export default class SavedMethod extends compose(BaseModel, withTenantScope) {
  static table = 'payments_saved_methods'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare clientId: number

  @column()
  declare paymentMethodId: string

  @column()
  declare brand: string | null

  @column({ columnName: 'last4' })
  declare last4: string | null

  @column()
  declare expMonth: number | null

  @column()
  declare expYear: number | null

  @column({ consume: (v) => Boolean(v) })
  declare isDefault: boolean

  @column.dateTime()
  declare expiryNotifiedAt: DateTime | null

  @column.dateTime()
  declare detachedAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
