import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  async up() {
    this.schema.createTable('roles', (table) => {
      table.increments('id')
      table.integer('tenant_id').unsigned().notNullable().references('tenants.id').onDelete('CASCADE')
      table.string('key', 40).notNullable()
      table.string('name', 100).notNullable()
      table.boolean('is_system').notNullable().defaultTo(false)
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.unique(['tenant_id', 'key'])
      table.index(['tenant_id'])
    })

    this.schema.createTable('users', (table) => {
      table.increments('id')
      table.integer('tenant_id').unsigned().notNullable().references('tenants.id').onDelete('CASCADE')
      table.string('email', 254).notNullable()
      table.string('full_name', 200).nullable()
      table.string('password').nullable()
      table.integer('role_id').unsigned().notNullable().references('roles.id')
      table.string('status', 20).notNullable().defaultTo('active')
      table.string('locale', 10).nullable()
      table.timestamp('last_login_at').nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.unique(['tenant_id', 'email'])
      table.index(['tenant_id'])
    })

    /* Global catalogue, synced from plugin manifests at boot */
    this.schema.createTable('permissions', (table) => {
      table.string('key', 120).primary()
      table.string('plugin', 60).notNullable()
      table.string('label', 200).notNullable()
      table.timestamp('created_at').notNullable()
    })

    this.schema.createTable('role_permissions', (table) => {
      table.increments('id')
      table.integer('tenant_id').unsigned().notNullable().references('tenants.id').onDelete('CASCADE')
      table.integer('role_id').unsigned().notNullable().references('roles.id').onDelete('CASCADE')
      table.string('permission', 120).notNullable()
      table.unique(['role_id', 'permission'])
      table.index(['tenant_id'])
    })

    this.schema.createTable('auth_access_tokens', (table) => {
      table.increments('id')
      table.integer('tokenable_id').unsigned().notNullable().references('users.id').onDelete('CASCADE')
      table.string('type').notNullable()
      table.string('name').nullable()
      table.string('hash').notNullable()
      table.text('abilities').notNullable()
      table.timestamp('created_at')
      table.timestamp('updated_at')
      table.timestamp('last_used_at').nullable()
      table.timestamp('expires_at').nullable()
      table.index(['tokenable_id'])
    })

    /* One-time tokens for password resets and invitations (stored hashed) */
    this.schema.createTable('user_tokens', (table) => {
      table.increments('id')
      table.integer('tenant_id').unsigned().notNullable().references('tenants.id').onDelete('CASCADE')
      table.integer('user_id').unsigned().notNullable().references('users.id').onDelete('CASCADE')
      table.string('purpose', 20).notNullable()
      table.string('token_hash', 64).notNullable().unique()
      table.timestamp('expires_at').notNullable()
      table.timestamp('used_at').nullable()
      table.timestamp('created_at').notNullable()
      table.index(['tenant_id'])
    })

    this.schema.createTable('social_identities', (table) => {
      table.increments('id')
      table.integer('tenant_id').unsigned().notNullable().references('tenants.id').onDelete('CASCADE')
      table.integer('user_id').unsigned().notNullable().references('users.id').onDelete('CASCADE')
      table.string('provider', 30).notNullable()
      table.string('provider_user_id', 255).notNullable()
      table.timestamp('created_at').notNullable()
      table.unique(['tenant_id', 'provider', 'provider_user_id'])
    })
  }
}
