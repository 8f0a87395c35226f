import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { withTenantScope } from '#tenancy/tenant_scoped'

/** The tenant's default PDF design: `builtin:<key>` or `tenant:<design id>` */
export default class PdfPreference extends compose(BaseModel, withTenantScope) {
  static table = 'invoicing_pdf_preferences'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare defaultDesign: string

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
