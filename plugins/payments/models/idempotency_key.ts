/* An outgoing Stripe call's idempotency key, written before the call is made */
import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { withTenantScope } from '#tenancy/tenant_scoped'

export default class IdempotencyKey extends compose(BaseModel, withTenantScope) {
  static table = 'payments_idempotency_keys'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare scope: string

  @column()
  declare key: string

  @column()
  declare operation: string

  @column()
  declare status: 'pending' | 'succeeded' | 'failed'

  @column()
  declare resultId: string | null

  @column()
  declare error: string | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
