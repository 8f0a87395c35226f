/*
| Jobs: job_runs is the embedded driver's durable queue and, for BullMQ, the per-tenant view of
| its jobs plus the outbox (rows written in a business transaction, handed to Redis after commit).
| Times are epoch milliseconds: the queue compares them on every poll.
*/
import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  async up() {
    this.schema.createTable('job_runs', (table) => {
      table.string('id', 160).primary()
      table.string('name', 120).notNullable()
      table.string('queue', 60).notNullable()
      table.integer('tenant_id').unsigned().notNullable().references('tenants.id').onDelete('CASCADE')
      table.text('payload').notNullable()
      table.string('status', 20).notNullable()
      table.integer('attempts').notNullable().defaultTo(0)
      table.integer('max_attempts').notNullable()
      table.string('backoff_type', 20).notNullable()
      table.integer('backoff_delay').notNullable()
      table.integer('timeout_ms').nullable()
      table.bigint('run_at').notNullable()
      table.string('locked_by', 80).nullable()
      table.bigint('locked_until').nullable()
      table.integer('progress').nullable()
      table.string('progress_message', 255).nullable()
      table.text('last_error').nullable()
      /* BullMQ view only: orders state reports that arrive out of order (3 * attempt + phase) */
      table.integer('rank').notNullable().defaultTo(0)
      /* BullMQ only: committed with a business transaction, not yet handed to Redis */
      table.boolean('outbox').notNullable().defaultTo(false)
      table.bigint('created_at').notNullable()
      table.bigint('started_at').nullable()
      table.bigint('finished_at').nullable()
      table.bigint('updated_at').notNullable()
      table.index(['status', 'run_at'])
      table.index(['tenant_id', 'status', 'created_at'])
      table.index(['tenant_id', 'created_at'])
      table.index(['outbox'])
    })

    /* One row per (scheduled job, cron tick): whoever inserts it dispatches that tick */
    this.schema.createTable('job_schedule_ticks', (table) => {
      table.string('name', 120).notNullable()
      table.bigint('tick').notNullable()
      table.string('claimed_by', 80).notNullable()
      table.bigint('created_at').notNullable()
      table.primary(['name', 'tick'])
    })
  }

  async down() {
    this.schema.dropTable('job_schedule_ticks')
    this.schema.dropTable('job_runs')
  }
}
