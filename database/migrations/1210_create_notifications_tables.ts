import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  async up() {
    /* The in-app channel's inbox: one row per recipient */
    this.schema.createTable('notifications', (table) => {
      table.bigIncrements('id')
      table.integer('tenant_id').unsigned().notNullable().references('tenants.id').onDelete('CASCADE')
      table.integer('user_id').unsigned().notNullable().references('users.id').onDelete('CASCADE')
      table.string('event', 100).notNullable()
      /* i18n keys (rendered in the reader's language) or plain text */
      table.string('title', 255).notNullable()
      table.text('body').nullable()
      table.text('params').notNullable().defaultTo('{}')
      table.string('url', 500).nullable()
      table.timestamp('read_at').nullable()
      table.timestamp('created_at').notNullable()
      table.index(['tenant_id', 'user_id', 'read_at'])
      table.index(['tenant_id', 'user_id', 'created_at'])
    })

    /* Only choices that differ from an event's defaults are stored */
    this.schema.createTable('notification_preferences', (table) => {
      table.increments('id')
      table.integer('tenant_id').unsigned().notNullable().references('tenants.id').onDelete('CASCADE')
      table.integer('user_id').unsigned().notNullable().references('users.id').onDelete('CASCADE')
      table.string('event', 100).notNullable()
      table.string('channel', 40).notNullable()
      table.boolean('enabled').notNullable()
      table.timestamp('updated_at').notNullable()
      table.unique(['tenant_id', 'user_id', 'event', 'channel'])
    })
  }
}
