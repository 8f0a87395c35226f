import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { withTenantScope } from '#tenancy/tenant_scoped'
import { formatRate } from '../services/money.js'

/** EN 16931 VAT category codes (UNCL5305) */
export const TAX_CATEGORIES = ['S', 'Z', 'E', 'AE', 'K', 'G', 'O'] as const
export type TaxCategory = (typeof TAX_CATEGORIES)[number]
/** Categories whose documents must state why no (or the buyer's) VAT applies */
export const CATEGORIES_NEEDING_REASON: TaxCategory[] = ['E', 'AE', 'K', 'G', 'O']
/** Categories that always carry 0% on the seller's document */
export const ZERO_RATE_CATEGORIES: TaxCategory[] = ['Z', 'E', 'AE', 'K', 'G', 'O']

/** A tax rate; documents copy rate, category and reason onto their lines */
export default class TaxRate extends compose(BaseModel, withTenantScope) {
  static table = 'invoicing_tax_rates'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare name: string

  /** thousandths of a percent: 19% = 19000 */
  @column()
  declare rate: number

  @column()
  declare category: TaxCategory

  @column()
  declare exemptionReason: string | null

  @column({ consume: (v) => Boolean(v) })
  declare isDefault: boolean

  @column.dateTime()
  declare archivedAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  get percent() {
    return formatRate(this.rate)
  }
}
