/*
| Bulk operations over documents (finalise, send, mark sent, ZIP of PDFs, delete drafts, CSV):
| what was asked (a selection of ids or the list filter), who asked, and the outcome. Live
| progress lives on the kernel job row; this row keeps the result (counts, the produced file).
*/
import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  async up() {
    this.schema.createTable('invoicing_bulk_operations', (table) => {
      table.increments('id')
      table.integer('tenant_id').unsigned().notNullable().references('tenants.id').onDelete('CASCADE')
      table.integer('user_id').unsigned().nullable().references('users.id').onDelete('SET NULL')
      /* finalize | send | mark_sent | zip | delete | csv */
      table.string('action', 20).notNullable()
      table.string('document_type', 20).notNullable()
      /* JSON: { ids: number[] } or { filter: {...} } */
      table.text('scope').notNullable()
      /* queued | running | completed | failed */
      table.string('status', 20).notNullable().defaultTo('queued')
      table.string('job_id', 100).nullable()
      table.integer('total').notNullable().defaultTo(0)
      table.integer('succeeded').notNullable().defaultTo(0)
      table.integer('failed').notNullable().defaultTo(0)
      /* JSON: [{ id, number, message }] for the documents the action refused */
      table.text('failures').notNullable().defaultTo('[]')
      table.integer('file_id').unsigned().nullable().references('files.id').onDelete('SET NULL')
      table.timestamp('finished_at').nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.index(['tenant_id'])
      table.index(['tenant_id', 'user_id', 'created_at'])
    })
  }
}
