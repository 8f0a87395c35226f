import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { withTenantScope } from '#tenancy/tenant_scoped'

/** A tenant's override of a shipped email template (subject + body in Liquid) for one language */
export default class EmailTemplate extends compose(BaseModel, withTenantScope) {
  static table = 'invoicing_email_templates'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare key: string

  @column()
  declare locale: string

  @column()
  declare subject: string

  @column()
  declare body: string

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
