import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'

export type BackupStatus = 'queued' | 'running' | 'succeeded' | 'failed'
export type BackupTrigger = 'cli' | 'schedule' | 'manual'

/** One backup of the whole install (all tenants): its archive on the backups disk and its outcome */
export default class Backup extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare status: BackupStatus

  @column()
  declare trigger: BackupTrigger

  @column()
  declare triggerKey: string | null

  @column()
  declare requestedBy: number | null

  @column()
  declare diskKey: string | null

  @column()
  declare dbDialect: string | null

  @column()
  declare appVersion: string | null

  /* bigint columns come back as strings from PostgreSQL */
  @column({ consume: (value) => (value === null ? null : Number(value)) })
  declare sizeBytes: number | null

  @column()
  declare durationMs: number | null

  @column()
  declare checksum: string | null

  @column()
  declare tenantCount: number | null

  @column({ consume: (value) => (value === null ? null : Number(value)) })
  declare rowCount: number | null

  @column()
  declare fileCount: number | null

  @column()
  declare error: string | null

  @column.dateTime()
  declare startedAt: DateTime | null

  @column.dateTime()
  declare finishedAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
