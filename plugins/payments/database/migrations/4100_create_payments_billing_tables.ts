/*
| Payments (billing): Stripe customers per invoicing client, saved payment methods, off-session
| charges of recurring invoices (one row per invoice, with its retry schedule), service plans and
| the subscriptions that bill them through invoicing's recurring profiles.
*/
import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  async up() {
    this.schema.createTable('payments_customers', (table) => {
      table.increments('id')
      table.integer('tenant_id').unsigned().notNullable().references('tenants.id').onDelete('CASCADE')
      table.integer('client_id').unsigned().notNullable()
      table.string('stripe_customer_id', 255).nullable()
      /* the unguessable part of the public "save a card" link mailed to the client */
      table.string('setup_token', 64).notNullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.unique(['tenant_id', 'client_id'])
      table.unique(['tenant_id', 'setup_token'])
      table.index(['tenant_id', 'stripe_customer_id'])
    })

    this.schema.createTable('payments_saved_methods', (table) => {
      table.increments('id')
      table.integer('tenant_id').unsigned().notNullable().references('tenants.id').onDelete('CASCADE')
      table.integer('client_id').unsigned().notNullable()
      table.string('payment_method_id', 255).notNullable()
      table.string('brand', 50).nullable()
      table.string('last4', 4).nullable()
      table.integer('exp_month').nullable()
      table.integer('exp_year').nullable()
      table.boolean('is_default').notNullable().defaultTo(false)
      table.timestamp('expiry_notified_at').nullable()
      table.timestamp('detached_at').nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.unique(['tenant_id', 'payment_method_id'])
      table.index(['tenant_id', 'client_id'])
    })

    this.schema.createTable('payments_offsession_charges', (table) => {
      table.increments('id')
      table.integer('tenant_id').unsigned().notNullable().references('tenants.id').onDelete('CASCADE')
      table.integer('invoice_id').unsigned().notNullable()
      table.integer('client_id').unsigned().notNullable()
      table.integer('attempts').notNullable().defaultTo(0)
      table.string('payment_intent_id', 255).nullable()
      /* pending | succeeded | requires_action | failed | exhausted */
      table.string('status', 20).notNullable()
      table.string('failure_code', 100).nullable()
      table.text('failure_message').nullable()
      table.timestamp('next_retry_at').nullable()
      /* the public "authenticate this payment" link */
      table.string('action_token', 64).nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.unique(['tenant_id', 'invoice_id'])
      table.index(['tenant_id', 'status', 'next_retry_at'])
    })

    this.schema.createTable('payments_plans', (table) => {
      table.increments('id')
      table.integer('tenant_id').unsigned().notNullable().references('tenants.id').onDelete('CASCADE')
      table.string('name', 200).notNullable()
      table.integer('price').notNullable()
      table.string('currency', 3).notNullable()
      /* week | month | year */
      table.string('interval', 10).notNullable()
      table.integer('interval_count').notNullable().defaultTo(1)
      table.integer('trial_days').notNullable().defaultTo(0)
      table.integer('setup_fee').notNullable().defaultTo(0)
      table.timestamp('archived_at').nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.unique(['tenant_id', 'name'])
    })

    this.schema.createTable('payments_subscriptions', (table) => {
      table.increments('id')
      table.integer('tenant_id').unsigned().notNullable().references('tenants.id').onDelete('CASCADE')
      table.integer('client_id').unsigned().notNullable()
      table.integer('plan_id').unsigned().notNullable().references('payments_plans.id')
      table.integer('recurring_profile_id').unsigned().nullable()
      /* trialing | active | paused | canceled */
      table.string('status', 20).notNullable()
      /* the first billed day; periods are counted from it */
      table.date('anchor_on').notNullable()
      table.date('trial_ends_on').nullable()
      table.boolean('cancel_at_period_end').notNullable().defaultTo(false)
      table.date('ends_on').nullable()
      table.timestamp('canceled_at').nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.unique(['tenant_id', 'recurring_profile_id'])
      table.index(['tenant_id', 'plan_id', 'status'])
      table.index(['tenant_id', 'client_id'])
    })
  }
}
