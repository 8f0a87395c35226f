import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { withTenantScope } from '#tenancy/tenant_scoped'
import type { DocumentType } from './document.js'

export type SeriesReset = 'never' | 'yearly' | 'monthly'

export default class NumberingSeries extends compose(BaseModel, withTenantScope) {
  static table = 'invoicing_numbering_series'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare documentType: DocumentType

  @column()
  declare name: string

  @column()
  declare pattern: string

  @column()
  declare reset: SeriesReset

  @column()
  declare startNumber: number

  @column({ consume: Boolean })
  declare isDefault: boolean

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
