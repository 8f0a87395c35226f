import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  async up() {
    /* Optional per-tenant sender identity and SMTP server; the password is encrypted */
    this.schema.createTable('tenant_mail_settings', (table) => {
      table.increments('id')
      table.integer('tenant_id').unsigned().notNullable().unique().references('tenants.id').onDelete('CASCADE')
      table.string('from_name', 100).nullable()
      table.string('from_address', 254).nullable()
      table.string('reply_to', 254).nullable()
      table.boolean('smtp_enabled').notNullable().defaultTo(false)
      table.string('smtp_host', 253).nullable()
      table.integer('smtp_port').nullable()
      /* tls (implicit TLS, 465) | starttls | none */
      table.string('smtp_security', 10).notNullable().defaultTo('starttls')
      table.string('smtp_username', 254).nullable()
      table.text('smtp_password').nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
    })

    /* Outgoing mail: the job payload is this row's id, so the mail survives restarts */
    this.schema.createTable('mail_messages', (table) => {
      table.bigIncrements('id')
      table.integer('tenant_id').unsigned().notNullable().references('tenants.id').onDelete('CASCADE')
      table.text('to').notNullable()
      table.string('subject', 300).notNullable()
      table.string('template', 200).notNullable()
      table.text('data').notNullable()
      /* JSON array of file ids (files table) */
      table.text('attachments').notNullable().defaultTo('[]')
      table.string('locale', 10).nullable()
      /* queued | sent | failed */
      table.string('status', 20).notNullable()
      table.integer('attempts').notNullable().defaultTo(0)
      table.string('provider_message_id', 255).nullable()
      table.string('error', 500).nullable()
      table.timestamp('sent_at').nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.index(['tenant_id', 'created_at'])
    })
  }
}
