import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column, hasMany } from '@adonisjs/lucid/orm'
import type { HasMany } from '@adonisjs/lucid/types/relations'
import { withTenantScope } from '#tenancy/tenant_scoped'
import Contact from './contact.js'

export type ClientKind = 'company' | 'individual'

/** A company or person the tenant bills; documents snapshot its address at finalisation */
export default class Client extends compose(BaseModel, withTenantScope) {
  static table = 'invoicing_clients'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare kind: ClientKind

  @column()
  declare name: string

  @column()
  declare email: string | null

  @column()
  declare phone: string | null

  @column()
  declare vatId: string | null

  @column()
  declare taxId: string | null

  @column()
  declare currency: string

  @column()
  declare language: string

  @column()
  declare paymentTermsDays: number | null

  @column({ columnName: 'address_line1' })
  declare addressLine1: string | null

  @column({ columnName: 'address_line2' })
  declare addressLine2: string | null

  @column()
  declare postalCode: string | null

  @column()
  declare city: string | null

  @column()
  declare region: string | null

  @column()
  declare country: string | null

  @column()
  declare notes: string | null

  @column.dateTime()
  declare archivedAt: DateTime | null

  @column()
  declare mergedIntoId: number | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @hasMany(() => Contact)
  declare contacts: HasMany<typeof Contact>

  get isArchived() {
    return this.archivedAt !== null
  }
}
