import { DateTime } from 'luxon'
import encryption from '@adonisjs/core/services/encryption'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { withTenantScope } from '#tenancy/tenant_scoped'

const encrypted = {
  serializeAs: null,
  prepare: (v: string | null) => (v ? encryption.encrypt(v) : null),
  consume: (v: string | null) => (v ? (encryption.decrypt<string>(v) ?? null) : null),
}

/** A user's TOTP enrolment: the confirmed secret, a pending one, and the last accepted time step */
export default class UserTwoFactor extends compose(BaseModel, withTenantScope) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare userId: number

  @column(encrypted)
  declare totpSecret: string | null

  @column(encrypted)
  declare totpPendingSecret: string | null

  @column.dateTime()
  declare totpEnabledAt: DateTime | null

  @column({ consume: (v) => (v === null || v === undefined ? null : Number(v)) })
  declare totpLastCounter: number | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
