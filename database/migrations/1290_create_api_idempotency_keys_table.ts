import { BaseSchema } from '@adonisjs/lucid/schema'

/* Idempotency-Key on /api POST: the first response per (tenant, token, key), kept for 24 hours */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('api_idempotency_keys', (table) => {
      table.increments('id')
      table.integer('tenant_id').unsigned().notNullable().references('tenants.id').onDelete('CASCADE')
      table.integer('token_id').unsigned().notNullable().references('auth_access_tokens.id').onDelete('CASCADE')
      table.string('key', 255).notNullable()
      table.string('request_hash', 64).notNullable()
      /* null while the first request is still running */
      table.integer('status_code').nullable()
      table.text('response_headers').nullable()
      table.text('response_body').nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('expires_at').notNullable()
      table.unique(['tenant_id', 'token_id', 'key'])
      table.index(['tenant_id', 'expires_at'])
    })
  }
}
