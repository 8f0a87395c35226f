import { BaseSchema } from '@adonisjs/lucid/schema'

/* Recurring invoice profiles and the periods they have billed (one row per profile and period) */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('invoicing_recurring_profiles', (table) => {
      table.increments('id')
      table.integer('tenant_id').unsigned().notNullable().references('tenants.id').onDelete('CASCADE')
      table.integer('client_id').unsigned().notNullable().references('invoicing_clients.id')
      table.string('name', 200).notNullable()
      table.string('currency', 3).notNullable()
      /* JSON array of line templates: description, quantity (ten-thousandths), unit, unit price (minor units), tax rate */
      table.text('lines').notNullable()
      /* weekly | monthly | quarterly | yearly | custom */
      table.string('interval', 20).notNullable()
      /* days between invoices when interval = custom */
      table.integer('interval_days').nullable()
      /* calendar dates, YYYY-MM-DD */
      table.string('start_on', 10).notNullable()
      table.string('end_on', 10).nullable()
      table.string('next_run_on', 10).nullable()
      table.string('last_run_on', 10).nullable()
      /* periods billed so far: the next period is start_on + occurrences × interval */
      table.integer('occurrences').notNullable().defaultTo(0)
      table.boolean('auto_finalize').notNullable().defaultTo(false)
      table.boolean('auto_send').notNullable().defaultTo(false)
      /* active | paused | ended */
      table.string('status', 20).notNullable()
      table.integer('payment_terms_days').nullable()
      table.text('notes').nullable()
      table.text('terms').nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.index(['tenant_id'])
      table.index(['tenant_id', 'status', 'next_run_on'])
      table.index(['tenant_id', 'name', 'id'])
    })

    this.schema.createTable('invoicing_recurring_runs', (table) => {
      table.increments('id')
      table.integer('tenant_id').unsigned().notNullable().references('tenants.id').onDelete('CASCADE')
      table.integer('profile_id').unsigned().notNullable().references('invoicing_recurring_profiles.id').onDelete('CASCADE')
      table.string('period_on', 10).notNullable()
      /* no foreign key: invoicing_documents is created by a later migration (3100) */
      table.integer('document_id').unsigned().nullable()
      table.timestamp('created_at').notNullable()
      table.index(['tenant_id', 'profile_id'])
      /* the idempotency key of a run: one invoice per profile and period */
      table.unique(['tenant_id', 'profile_id', 'period_on'])
    })
  }
}
