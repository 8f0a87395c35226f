import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column, hasMany } from '@adonisjs/lucid/orm'
import type { HasMany } from '@adonisjs/lucid/types/relations'
import { withTenantScope } from '#tenancy/tenant_scoped'
import PaymentAllocation from './payment_allocation.js'

export type PaymentMethod = 'bank_transfer' | 'cash' | 'cheque' | 'card' | 'other'
export const PAYMENT_METHODS: PaymentMethod[] = ['bank_transfer', 'cash', 'cheque', 'card', 'other']
export type PaymentKind = 'payment' | 'refund'

const num = { consume: (v: unknown) => (v === null || v === undefined ? v : Number(v)) }

export default class Payment extends compose(BaseModel, withTenantScope) {
  static table = 'invoicing_payments'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare clientId: number

  @column()
  declare kind: PaymentKind

  @column()
  declare method: PaymentMethod

  @column()
  declare currency: string

  /** minor units, always positive; `kind` says which way the money went */
  @column(num)
  declare amount: number

  /** gateway fee in minor units (informational: the client paid `amount`) */
  @column(num)
  declare fee: number

  @column(num)
  declare refundedAmount: number

  /** calendar date 'YYYY-MM-DD' */
  @column()
  declare paidOn: string

  @column()
  declare reference: string | null

  @column()
  declare gateway: string | null

  @column()
  declare gatewayReference: string | null

  @column()
  declare refundOfId: number | null

  @column()
  declare notes: string | null

  @column()
  declare createdBy: number | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @hasMany(() => PaymentAllocation, { foreignKey: 'paymentId' })
  declare allocations: HasMany<typeof PaymentAllocation>
}
