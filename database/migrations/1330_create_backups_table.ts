/* Install-wide backup history: one row per run of `backup:run`, the schedule or "back up now" */
import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  async up() {
    this.schema.createTable('backups', (table) => {
      table.increments('id')
      /* queued, running, succeeded, failed */
      table.string('status', 20).notNullable()
      /* cli, schedule, manual */
      table.string('trigger', 20).notNullable()
      /* claims a schedule tick once, however many tenants' jobs the tick dispatched */
      table.string('trigger_key', 100).nullable().unique()
      table.integer('requested_by').nullable()
      table.string('disk_key', 255).nullable()
      table.string('db_dialect', 20).nullable()
      table.string('app_version', 40).nullable()
      table.bigint('size_bytes').nullable()
      table.integer('duration_ms').nullable()
      table.string('checksum', 64).nullable()
      table.integer('tenant_count').nullable()
      table.bigint('row_count').nullable()
      table.integer('file_count').nullable()
      table.text('error').nullable()
      table.timestamp('started_at').nullable()
      table.timestamp('finished_at').nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.index(['status', 'created_at'])
    })
  }
}
