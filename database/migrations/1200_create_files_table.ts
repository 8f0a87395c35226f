import { BaseSchema } from '@adonisjs/lucid/schema'

/* Uploaded files: the bytes live on a Drive disk under `key`, never under the web root */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('files', (table) => {
      table.increments('id')
      table.integer('tenant_id').unsigned().notNullable().references('tenants.id').onDelete('CASCADE')
      table.string('disk', 20).notNullable()
      table.string('key', 255).notNullable().unique()
      table.string('original_name', 255).notNullable()
      /* what content sniffing found, not what the client claimed */
      table.string('content_type', 100).notNullable()
      table.string('extension', 10).notNullable()
      table.bigInteger('size').notNullable()
      table.string('sha256', 64).notNullable()
      table.integer('uploaded_by').unsigned().nullable().references('users.id').onDelete('SET NULL')
      table.timestamp('created_at').notNullable()
      table.index(['tenant_id', 'created_at'])
    })
  }
}
