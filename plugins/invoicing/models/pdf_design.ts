import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { withTenantScope } from '#tenancy/tenant_scoped'

/** A tenant-written PDF design; its templates live in numbered versions, one of them active */
export default class PdfDesign extends compose(BaseModel, withTenantScope) {
  static table = 'invoicing_pdf_designs'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare name: string

  @column()
  declare activeVersion: number

  @column()
  declare latestVersion: number

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
