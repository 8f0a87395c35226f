import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { withTenantScope } from '#tenancy/tenant_scoped'
import type { DiscountType } from './document.js'

const num = { consume: (v: unknown) => (v === null || v === undefined ? v : Number(v)) }

export default class DocumentLine extends compose(BaseModel, withTenantScope) {
  static table = 'invoicing_document_lines'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare documentId: number

  @column()
  declare position: number

  @column()
  declare productId: number | null

  @column()
  declare description: string

  /** ten-thousandths: 1.5 → 15000 */
  @column(num)
  declare quantity: number

  /** UN/ECE Rec 20 unit code */
  @column()
  declare unit: string

  /** minor units; gross when the document's prices include tax */
  @column(num)
  declare unitPrice: number

  @column()
  declare discountType: DiscountType | null

  /** thousandths of a percent, or minor units */
  @column(num)
  declare discountValue: number

  @column()
  declare taxRateId: number | null

  @column()
  declare taxName: string | null

  /** thousandths of a percent (19% = 19000) */
  @column()
  declare taxRate: number

  /** UNCL5305: S, Z, E, AE, K, G, O */
  @column()
  declare taxCategory: string

  @column()
  declare taxExemptionReason: string | null

  /** the line amount after its discount (net, or gross when prices include tax) */
  @column(num)
  declare netAmount: number

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
