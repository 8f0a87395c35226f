import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { withTenantScope } from '#tenancy/tenant_scoped'

export type AllocationSource = 'payment' | 'credit' | 'credit_note' | 'refund' | 'write_off'

const num = { consume: (v: unknown) => (v === null || v === undefined ? v : Number(v)) }

export default class PaymentAllocation extends compose(BaseModel, withTenantScope) {
  static table = 'invoicing_payment_allocations'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare documentId: number

  @column()
  declare source: AllocationSource

  @column()
  declare paymentId: number | null

  @column()
  declare creditNoteId: number | null

  /** minor units settled on the invoice; negative when a refund takes it back */
  @column(num)
  declare amount: number

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime
}
