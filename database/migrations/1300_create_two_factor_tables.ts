import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  async up() {
    /* One row per user who has started TOTP enrolment; the secrets are encrypted with the app key */
    this.schema.createTable('user_two_factors', (table) => {
      table.increments('id')
      table.integer('tenant_id').unsigned().notNullable().references('tenants.id').onDelete('CASCADE')
      table.integer('user_id').unsigned().notNullable().references('users.id').onDelete('CASCADE')
      table.text('totp_secret').nullable()
      /* set by enrolment, moved to totp_secret once a code confirms it */
      table.text('totp_pending_secret').nullable()
      table.timestamp('totp_enabled_at').nullable()
      /* the highest TOTP time step accepted: a code at or below it is a replay */
      table.bigInteger('totp_last_counter').nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.unique(['tenant_id', 'user_id'])
      table.index(['tenant_id'])
    })

    this.schema.createTable('user_recovery_codes', (table) => {
      table.increments('id')
      table.integer('tenant_id').unsigned().notNullable().references('tenants.id').onDelete('CASCADE')
      table.integer('user_id').unsigned().notNullable().references('users.id').onDelete('CASCADE')
      table.string('code_hash', 255).notNullable()
      table.timestamp('used_at').nullable()
      table.timestamp('created_at').notNullable()
      table.index(['tenant_id', 'user_id'])
    })

    /* WebAuthn credentials; ids and keys are base64url */
    this.schema.createTable('user_passkeys', (table) => {
      table.increments('id')
      table.integer('tenant_id').unsigned().notNullable().references('tenants.id').onDelete('CASCADE')
      table.integer('user_id').unsigned().notNullable().references('users.id').onDelete('CASCADE')
      table.string('name', 100).notNullable()
      table.string('credential_id', 1400).notNullable()
      table.text('public_key').notNullable()
      table.bigInteger('counter').notNullable().defaultTo(0)
      /* JSON array of AuthenticatorTransport */
      table.text('transports').notNullable()
      table.string('device_type', 20).notNullable()
      table.boolean('backed_up').notNullable().defaultTo(false)
      table.timestamp('last_used_at').nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.unique(['tenant_id', 'credential_id'])
      table.index(['tenant_id', 'user_id'])
    })

    /*
    | A tenant's security settings, one row per tenant. Each feature of the security settings
    | page adds its own columns in its own migration.
    */
    this.schema.createTable('tenant_security_settings', (table) => {
      table.increments('id')
      table.integer('tenant_id').unsigned().notNullable().references('tenants.id').onDelete('CASCADE')
      /* JSON array of role keys whose members must use two-factor authentication */
      table.text('two_factor_roles').notNullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.unique(['tenant_id'])
    })
  }
}
