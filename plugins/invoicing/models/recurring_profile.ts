import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import { withTenantScope } from '#tenancy/tenant_scoped'
import Client from './client.js'

export const RECURRING_INTERVALS = ['weekly', 'monthly', 'quarterly', 'yearly', 'custom'] as const
export type RecurringInterval = (typeof RECURRING_INTERVALS)[number]
export type RecurringStatus = 'active' | 'paused' | 'ended'

/** One line of the invoice a profile creates, in the documents service's units */
export interface TemplateLine {
  productId: number | null
  description: string
  /** ten-thousandths */
  quantity: number
  unit: string | null
  /** minor units */
  unitPrice: number
  taxRateId: number | null
}

/** A schedule that creates an invoice for a client every period */
export default class RecurringProfile extends compose(BaseModel, withTenantScope) {
  static table = 'invoicing_recurring_profiles'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare clientId: number

  @column()
  declare name: string

  @column()
  declare currency: string

  @column({
    prepare: (v: TemplateLine[]) => JSON.stringify(v ?? []),
    consume: (v: string | null) => (v ? JSON.parse(v) : []),
  })
  declare lines: TemplateLine[]

  @column()
  declare interval: RecurringInterval

  @column()
  declare intervalDays: number | null

  @column()
  declare startOn: string

  @column()
  declare endOn: string | null

  @column()
  declare nextRunOn: string | null

  @column()
  declare lastRunOn: string | null

  @column()
  declare occurrences: number

  @column({ consume: (v) => Boolean(v) })
  declare autoFinalize: boolean

  @column({ consume: (v) => Boolean(v) })
  declare autoSend: boolean

  @column()
  declare status: RecurringStatus

  @column()
  declare paymentTermsDays: number | null

  @column()
  declare notes: string | null

  @column()
  declare terms: string | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @belongsTo(() => Client)
  declare client: BelongsTo<typeof Client>
}
