import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { withTenantScope } from '#tenancy/tenant_scoped'

export type RevokedReason =
  | 'signed_out'
  | 'revoked'
  | 'revoked_all'
  | 'password_changed'
  | 'admin'
  | 'idle_timeout'
  | 'absolute_timeout'
  | 'deactivated'

/** A signed-in browser session of a staff user (see services/session_tracking.ts) */
export default class TrackedSession extends compose(BaseModel, withTenantScope) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare userId: number

  @column({ serializeAs: null })
  declare keyHash: string

  @column()
  declare userAgent: string | null

  @column()
  declare deviceLabel: string

  @column()
  declare ipAddress: string | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime()
  declare lastSeenAt: DateTime

  @column.dateTime()
  declare revokedAt: DateTime | null

  @column()
  declare revokedReason: RevokedReason | null
}
