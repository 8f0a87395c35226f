/* A service plan a tenant sells: price per interval, trial and setup fee */
import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { withTenantScope } from '#tenancy/tenant_scoped'

export const PLAN_INTERVALS = ['week', 'month', 'year'] as const
export type PlanInterval = (typeof PLAN_INTERVALS)[number]

export default class Plan extends compose(BaseModel, withTenantScope) {
  static table = 'payments_plans'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare name: string

  /** minor units per interval */
  @column()
  declare price: number

  @column()
  declare currency: string

  @column()
  declare interval: PlanInterval

  @column()
  declare intervalCount: number

  @column()
  declare trialDays: number

  @column()
  declare setupFee: number

  @column.dateTime()
  declare archivedAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
