import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { withTenantScope } from '#tenancy/tenant_scoped'

export type CreditSource = 'overpayment' | 'credit_note' | 'applied' | 'refund'

const num = { consume: (v: unknown) => (v === null || v === undefined ? v : Number(v)) }

/** One entry of a client's credit ledger; the balance per currency is the sum of `amount` */
export default class ClientCredit extends compose(BaseModel, withTenantScope) {
  static table = 'invoicing_client_credits'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare clientId: number

  @column()
  declare currency: string

  @column(num)
  declare amount: number

  @column()
  declare source: CreditSource

  @column()
  declare paymentId: number | null

  @column()
  declare documentId: number | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime
}
