import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { withTenantScope } from '#tenancy/tenant_scoped'

/** A period a recurring profile has billed; unique per (profile, period) so a period bills once */
export default class RecurringRun extends compose(BaseModel, withTenantScope) {
  static table = 'invoicing_recurring_runs'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare profileId: number

  @column()
  declare periodOn: string

  @column()
  declare documentId: number | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime
}
