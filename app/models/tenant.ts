import { DateTime } from 'luxon'
import { BaseModel, column, hasMany } from '@adonisjs/lucid/orm'
import type { HasMany } from '@adonisjs/lucid/types/relations'
import TenantDomain from '#models/tenant_domain'
import type { ThemeTokens } from '#theming/theme'

const json = {
  prepare: (value: unknown) => JSON.stringify(value ?? {}),
  consume: (value: string | null) => (value ? JSON.parse(value) : {}),
}

export interface TenantProfile {
  legalName?: string
  addressLine1?: string
  addressLine2?: string
  postalCode?: string
  city?: string
  country?: string
  taxId?: string
  vatId?: string
  email?: string
  phone?: string
}

export default class Tenant extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare slug: string

  @column()
  declare name: string

  @column()
  declare status: 'active' | 'suspended'

  @column()
  declare locale: string

  @column()
  declare timezone: string

  @column()
  declare currency: string

  @column(json)
  declare profile: TenantProfile

  @column(json)
  declare theme: Partial<ThemeTokens>

  @hasMany(() => TenantDomain)
  declare domains: HasMany<typeof TenantDomain>

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
