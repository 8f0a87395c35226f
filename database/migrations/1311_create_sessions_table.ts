import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  async up() {
    /* Session data for SESSION_DRIVER=database (@adonisjs/session's database store) */
    this.schema.createTable('sessions', (table) => {
      table.string('id', 255).primary()
      table.string('user_id', 255).nullable().index()
      table.text('data').notNullable()
      table.timestamp('expires_at').notNullable().index()
    })
  }
}
