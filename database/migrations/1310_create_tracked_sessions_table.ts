import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  async up() {
    /*
    | One row per signed-in browser session of a staff user. The session cookie never reaches
    | this table: the row is found by the SHA-256 of a random key kept in the session data.
    | Revoking sets revoked_at; the tracked-session middleware ends the session on its next
    | request, whichever web process serves it.
    */
    this.schema.createTable('tracked_sessions', (table) => {
      table.bigIncrements('id')
      table.integer('tenant_id').unsigned().notNullable().references('tenants.id').onDelete('CASCADE')
      table.integer('user_id').unsigned().notNullable().references('users.id').onDelete('CASCADE')
      table.string('key_hash', 64).notNullable()
      table.string('user_agent', 512).nullable()
      table.string('device_label', 120).notNullable()
      table.string('ip_address', 45).nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('last_seen_at').notNullable()
      table.timestamp('revoked_at').nullable()
      /* signed_out | revoked | revoked_all | password_changed | admin | idle_timeout | absolute_timeout | deactivated */
      table.string('revoked_reason', 32).nullable()
      table.unique(['tenant_id', 'key_hash'])
      table.index(['tenant_id', 'user_id', 'revoked_at'])
    })

    /* Session timeouts and the password minimum of a tenant; no row means the defaults */
    this.schema.createTable('tenant_account_policies', (table) => {
      table.increments('id')
      table.integer('tenant_id').unsigned().notNullable().unique().references('tenants.id').onDelete('CASCADE')
      table.integer('idle_timeout_minutes').notNullable()
      table.integer('absolute_timeout_minutes').notNullable()
      table.integer('password_min_length').notNullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
    })
  }
}
