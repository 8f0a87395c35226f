import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  async up() {
    this.schema.createTable('plugin_installations', (table) => {
      table.increments('id')
      table.integer('tenant_id').unsigned().notNullable().references('tenants.id').onDelete('CASCADE')
      table.string('plugin_id', 60).notNullable()
      table.boolean('enabled').notNullable().defaultTo(true)
      table.text('settings').notNullable().defaultTo('{}')
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.unique(['tenant_id', 'plugin_id'])
    })

    this.schema.createTable('audit_logs', (table) => {
      table.bigIncrements('id')
      table.integer('tenant_id').unsigned().nullable().references('tenants.id').onDelete('CASCADE')
      table.string('actor_type', 20).notNullable()
      table.integer('actor_id').nullable()
      table.string('actor_label', 254).nullable()
      table.string('action', 100).notNullable()
      table.string('subject_type', 60).nullable()
      table.string('subject_id', 60).nullable()
      table.text('before').nullable()
      table.text('after').nullable()
      table.string('ip', 45).nullable()
      table.string('user_agent', 300).nullable()
      table.timestamp('created_at').notNullable()
      table.index(['tenant_id', 'created_at'])
      table.index(['tenant_id', 'action'])
    })

    /* @adonisjs/limiter database store: shared across processes without Redis */
    this.schema.createTable('rate_limits', (table) => {
      table.string('key', 255).notNullable().primary()
      table.integer('points', 9).notNullable().defaultTo(0)
      table.bigint('expire').unsigned()
    })
  }
}
