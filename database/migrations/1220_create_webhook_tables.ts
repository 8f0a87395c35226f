import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  async up() {
    this.schema.createTable('webhook_endpoints', (table) => {
      table.increments('id')
      table.integer('tenant_id').unsigned().notNullable().references('tenants.id').onDelete('CASCADE')
      table.string('url', 2000).notNullable()
      table.string('description', 200).nullable()
      /* JSON array of event types */
      table.text('events').notNullable()
      /* whsec_… secret, encrypted with the app key */
      table.text('secret').notNullable()
      table.boolean('enabled').notNullable().defaultTo(true)
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.index(['tenant_id'])
    })

    /* One event for one endpoint; `message_id` is the webhook-id header receivers dedupe on */
    this.schema.createTable('webhook_deliveries', (table) => {
      table.bigIncrements('id')
      table.integer('tenant_id').unsigned().notNullable().references('tenants.id').onDelete('CASCADE')
      table.integer('endpoint_id').unsigned().notNullable().references('webhook_endpoints.id').onDelete('CASCADE')
      table.string('message_id', 64).notNullable()
      table.string('event', 100).notNullable()
      table.text('payload').notNullable()
      /* pending | succeeded | failed */
      table.string('status', 20).notNullable()
      table.integer('attempts').notNullable().defaultTo(0)
      table.integer('last_status_code').nullable()
      table.timestamp('next_attempt_at').nullable()
      table.timestamp('delivered_at').nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.unique(['endpoint_id', 'message_id'])
      table.index(['tenant_id', 'endpoint_id', 'created_at'])
    })

    /* Every HTTP request made for a delivery: what was sent, what came back, how long it took */
    this.schema.createTable('webhook_delivery_attempts', (table) => {
      table.bigIncrements('id')
      table.integer('tenant_id').unsigned().notNullable().references('tenants.id').onDelete('CASCADE')
      table.bigInteger('delivery_id').unsigned().notNullable().references('webhook_deliveries.id').onDelete('CASCADE')
      table.integer('attempt').notNullable()
      /* manual | automatic */
      table.string('trigger', 20).notNullable()
      table.string('url', 2000).notNullable()
      table.text('request_headers').notNullable()
      table.integer('response_status').nullable()
      table.text('response_body').nullable()
      table.integer('duration_ms').notNullable()
      table.string('error', 500).nullable()
      table.timestamp('created_at').notNullable()
      table.index(['tenant_id', 'delivery_id'])
    })
  }
}
