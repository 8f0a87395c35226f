/* The off-session charge of one recurring invoice: attempts, outcome and retry schedule */
import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { withTenantScope } from '#tenancy/tenant_scoped'

export type ChargeStatus = 'pending' | 'succeeded' | 'requires_action' | 'failed' | 'exhausted'

export default class OffsessionCharge extends compose(BaseModel, withTenantScope) {
  static table = 'payments_offsession_charges'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare invoiceId: number

  @column()
  declare clientId: number

  @column()
  declare attempts: number

  @column()
  declare paymentIntentId: string | null

  @column()
  declare status: ChargeStatus

  @column()
  declare failureCode: string | null

  @column()
  declare failureMessage: string | null

  @column.dateTime()
  declare nextRetryAt: DateTime | null

  @column({ serializeAs: null })
  declare actionToken: string | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
