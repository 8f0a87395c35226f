import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { withTenantScope } from '#tenancy/tenant_scoped'

/** One saved state of a design's Liquid template; never edited, a save adds the next version */
export default class PdfDesignVersion extends compose(BaseModel, withTenantScope) {
  static table = 'invoicing_pdf_design_versions'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare designId: number

  @column()
  declare version: number

  @column()
  declare template: string

  @column()
  declare createdById: number | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime
}
