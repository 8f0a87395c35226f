/* setup_intent.succeeded and payment_method.detached, recorded until saved payment methods exist */
import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { withTenantScope } from '#tenancy/tenant_scoped'

export default class MethodEvent extends compose(BaseModel, withTenantScope) {
  static table = 'payments_method_events'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare objectId: string

  @column()
  declare kind: string

  @column()
  declare customerId: string | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
