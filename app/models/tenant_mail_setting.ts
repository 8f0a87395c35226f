import { DateTime } from 'luxon'
import encryption from '@adonisjs/core/services/encryption'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { withTenantScope } from '#tenancy/tenant_scoped'

export type SmtpSecurity = 'tls' | 'starttls' | 'none'

/** A tenant's sender identity and, optionally, its own SMTP server */
export default class TenantMailSetting extends compose(BaseModel, withTenantScope) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare fromName: string | null

  @column()
  declare fromAddress: string | null

  @column()
  declare replyTo: string | null

  @column({ consume: (v) => Boolean(v) })
  declare smtpEnabled: boolean

  @column()
  declare smtpHost: string | null

  @column()
  declare smtpPort: number | null

  @column()
  declare smtpSecurity: SmtpSecurity

  @column()
  declare smtpUsername: string | null

  @column({
    serializeAs: null,
    prepare: (v: string | null) => (v ? encryption.encrypt(v) : null),
    consume: (v: string | null) => (v ? (encryption.decrypt<string>(v) ?? null) : null),
  })
  declare smtpPassword: string | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
