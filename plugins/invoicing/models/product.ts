import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import { withTenantScope } from '#tenancy/tenant_scoped'
import TaxRate from './tax_rate.js'

/** UN/ECE Recommendation 20 codes offered in the UI (any valid 2–3 character code is accepted) */
export const COMMON_UNITS = ['C62', 'HUR', 'DAY', 'MIN', 'MON', 'ANN', 'KGM', 'MTR', 'LTR', 'KMT', 'SET', 'LS'] as const

/** A product or service in the catalogue, priced in integer minor units */
export default class Product extends compose(BaseModel, withTenantScope) {
  static table = 'invoicing_products'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare name: string

  @column()
  declare description: string | null

  @column()
  declare sku: string | null

  @column()
  declare unit: string

  /** minor units of `currency` (PostgreSQL returns bigint as a string) */
  @column({ consume: (v) => (v === null ? v : Number(v)) })
  declare unitPrice: number

  @column()
  declare currency: string

  @column()
  declare taxRateId: number | null

  @column.dateTime()
  declare archivedAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @belongsTo(() => TaxRate)
  declare taxRate: BelongsTo<typeof TaxRate>
}
