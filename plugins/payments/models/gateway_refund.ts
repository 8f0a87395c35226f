import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { withTenantScope } from '#tenancy/tenant_scoped'

export default class GatewayRefund extends compose(BaseModel, withTenantScope) {
  static table = 'payments_gateway_refunds'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare gatewayPaymentId: number

  @column()
  declare refundId: string

  @column()
  declare amount: number

  @column()
  declare status: string

  @column()
  declare ledgerRefundId: number | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
