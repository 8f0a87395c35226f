import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { withTenantScope } from '#tenancy/tenant_scoped'

const json = {
  prepare: (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v)),
  consume: (v: string | null) => (v ? JSON.parse(v) : null),
}

export default class AuditLog extends compose(BaseModel, withTenantScope) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare actorType: 'user' | 'platform' | 'token' | 'system' | 'cli'

  @column()
  declare actorId: number | null

  @column()
  declare actorLabel: string | null

  @column()
  declare action: string

  @column()
  declare subjectType: string | null

  @column()
  declare subjectId: string | null

  @column(json)
  declare before: Record<string, unknown> | null

  @column(json)
  declare after: Record<string, unknown> | null

  @column()
  declare ip: string | null

  @column()
  declare userAgent: string | null

  /** place in its chain (per tenant, or the platform chain) */
  @column()
  declare chainSeq: number

  @column()
  declare prevHash: string

  /** SHA-256 over the entry's content and prevHash: see #services/audit_chain */
  @column()
  declare hash: string

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime
}
