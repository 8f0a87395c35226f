import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { withTenantScope } from '#tenancy/tenant_scoped'

export const BULK_ACTIONS = ['finalize', 'send', 'mark_sent', 'zip', 'delete', 'csv'] as const
export type BulkAction = (typeof BULK_ACTIONS)[number]
export type BulkStatus = 'queued' | 'running' | 'completed' | 'failed'

/** What a bulk action runs over: the ticked rows, or every document the list filter matches */
export type BulkScope = { ids: number[] } | { filter: Record<string, string> }

export interface BulkFailure {
  id: number
  label: string
  message: string
}

const json = <T>(fallback: T) => ({
  prepare: (v: T) => JSON.stringify(v ?? fallback),
  consume: (v: string | T | null) => (typeof v === 'string' ? JSON.parse(v) : (v ?? fallback)),
})

/** One bulk action a user started; its live progress is the kernel job's, its result is here */
export default class BulkOperation extends compose(BaseModel, withTenantScope) {
  static table = 'invoicing_bulk_operations'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare userId: number | null

  @column()
  declare action: BulkAction

  @column()
  declare documentType: string

  @column(json<BulkScope>({ ids: [] }))
  declare scope: BulkScope

  @column()
  declare status: BulkStatus

  @column()
  declare jobId: string | null

  @column()
  declare total: number

  @column()
  declare succeeded: number

  @column()
  declare failed: number

  @column(json<BulkFailure[]>([]))
  declare failures: BulkFailure[]

  @column()
  declare fileId: number | null

  @column.dateTime()
  declare finishedAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  get isFinished() {
    return this.status === 'completed' || this.status === 'failed'
  }
}
