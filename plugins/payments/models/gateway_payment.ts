/* A payment as the gateway sees it (for Stripe: one PaymentIntent), linked to the ledger payment */
import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { withTenantScope } from '#tenancy/tenant_scoped'

export type GatewayPaymentStatus = 'processing' | 'succeeded' | 'failed' | 'refunded' | 'partially_refunded'

export default class GatewayPayment extends compose(BaseModel, withTenantScope) {
  static table = 'payments_gateway_payments'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare gateway: string

  @column()
  declare reference: string

  @column()
  declare chargeId: string | null

  @column()
  declare invoiceId: number | null

  @column()
  declare ledgerPaymentId: number | null

  @column()
  declare amount: number

  @column()
  declare amountRefunded: number

  @column()
  declare fee: number | null

  @column()
  declare currency: string

  @column()
  declare status: GatewayPaymentStatus

  @column()
  declare disputeStatus: 'none' | 'open' | 'won' | 'lost'

  @column()
  declare disputeId: string | null

  @column()
  declare failureMessage: string | null

  @column({ consume: (v) => Boolean(v) })
  declare receiptSent: boolean

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  get net() {
    return this.amount - (this.fee ?? 0)
  }
}
