import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  async up() {
    this.schema.createTable('tenants', (table) => {
      table.increments('id')
      table.string('slug', 63).notNullable().unique()
      table.string('name', 200).notNullable()
      table.string('status', 20).notNullable().defaultTo('active')
      table.string('locale', 10).notNullable().defaultTo('en')
      table.string('timezone', 64).notNullable().defaultTo('UTC')
      table.string('currency', 3).notNullable().defaultTo('EUR')
      table.text('profile').notNullable().defaultTo('{}')
      table.text('theme').notNullable().defaultTo('{}')
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
    })

    this.schema.createTable('tenant_domains', (table) => {
      table.increments('id')
      table.integer('tenant_id').unsigned().notNullable().references('tenants.id').onDelete('CASCADE')
      table.string('domain', 253).notNullable().unique()
      table.string('verification_token', 64).notNullable()
      table.timestamp('verified_at').nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.index(['tenant_id'])
    })

    this.schema.createTable('platform_admins', (table) => {
      table.increments('id')
      table.string('email', 254).notNullable().unique()
      table.string('full_name', 200).nullable()
      table.string('password').notNullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
    })
  }
}
