/*
| Payments (Stripe core): the tenant's Stripe account (secrets encrypted with the app key),
| received webhook events (stored once per tenant + event id), outgoing idempotency keys
| (written before each call so a retry after a lost response reuses them), checkout sessions
| linked to invoices, and the gateway payments/refunds/disputes seen at Stripe.
*/
import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  async up() {
    this.schema.createTable('payments_stripe_accounts', (table) => {
      table.increments('id')
      table.integer('tenant_id').unsigned().notNullable().references('tenants.id').onDelete('CASCADE')
      table.text('secret_key_encrypted').nullable()
      table.string('secret_key_hint', 8).nullable()
      table.text('webhook_secret_encrypted').nullable()
      table.string('publishable_key', 255).nullable()
      table.string('account_id', 100).nullable()
      table.string('account_name', 255).nullable()
      table.boolean('livemode').notNullable().defaultTo(false)
      /* ok | failed, with the message of the last failure */
      table.string('check_status', 20).nullable()
      table.text('check_error').nullable()
      table.timestamp('checked_at').nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.unique(['tenant_id'])
    })

    this.schema.createTable('payments_stripe_events', (table) => {
      table.increments('id')
      table.integer('tenant_id').unsigned().notNullable().references('tenants.id').onDelete('CASCADE')
      table.string('event_id', 255).notNullable()
      table.string('type', 100).notNullable()
      table.boolean('livemode').notNullable().defaultTo(false)
      table.text('payload').notNullable()
      /* received | processing | processed | failed | ignored */
      table.string('status', 20).notNullable().defaultTo('received')
      table.integer('attempts').notNullable().defaultTo(0)
      table.text('error').nullable()
      table.timestamp('stripe_created_at').nullable()
      table.timestamp('processed_at').nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.unique(['tenant_id', 'event_id'])
      table.index(['tenant_id', 'status', 'created_at'])
    })

    this.schema.createTable('payments_idempotency_keys', (table) => {
      table.increments('id')
      table.integer('tenant_id').unsigned().notNullable().references('tenants.id').onDelete('CASCADE')
      /* what the call is for, e.g. "checkout:<invoice>:<amount>:<n>" or "refund:<payment>:<n>" */
      table.string('scope', 200).notNullable()
      table.string('key', 100).notNullable()
      table.string('operation', 50).notNullable()
      /* pending | succeeded | failed */
      table.string('status', 20).notNullable().defaultTo('pending')
      table.string('result_id', 255).nullable()
      table.text('error').nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.unique(['tenant_id', 'scope'])
      table.unique(['tenant_id', 'key'])
    })

    this.schema.createTable('payments_checkout_sessions', (table) => {
      table.increments('id')
      table.integer('tenant_id').unsigned().notNullable().references('tenants.id').onDelete('CASCADE')
      table.integer('invoice_id').unsigned().notNullable()
      table.string('session_id', 255).notNullable()
      table.string('payment_intent_id', 255).nullable()
      table.integer('amount').notNullable()
      table.string('currency', 3).notNullable()
      /* open | complete | expired */
      table.string('status', 20).notNullable().defaultTo('open')
      table.text('url').nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.unique(['tenant_id', 'session_id'])
      table.index(['tenant_id', 'invoice_id'])
    })

    this.schema.createTable('payments_gateway_payments', (table) => {
      table.increments('id')
      table.integer('tenant_id').unsigned().notNullable().references('tenants.id').onDelete('CASCADE')
      table.string('gateway', 50).notNullable()
      /* the PaymentIntent id for Stripe */
      table.string('reference', 255).notNullable()
      table.string('charge_id', 255).nullable()
      table.integer('invoice_id').unsigned().nullable()
      /* the invoicing ledger payment, once recorded */
      table.integer('ledger_payment_id').unsigned().nullable()
      table.integer('amount').notNullable()
      table.integer('amount_refunded').notNullable().defaultTo(0)
      table.integer('fee').nullable()
      table.string('currency', 3).notNullable()
      /* processing | succeeded | failed | refunded | partially_refunded */
      table.string('status', 30).notNullable()
      /* none | open | won | lost */
      table.string('dispute_status', 20).notNullable().defaultTo('none')
      table.string('dispute_id', 255).nullable()
      table.text('failure_message').nullable()
      table.boolean('receipt_sent').notNullable().defaultTo(false)
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.unique(['tenant_id', 'gateway', 'reference'])
      table.index(['tenant_id', 'invoice_id'])
      table.index(['tenant_id', 'charge_id'])
    })

    this.schema.createTable('payments_gateway_refunds', (table) => {
      table.increments('id')
      table.integer('tenant_id').unsigned().notNullable().references('tenants.id').onDelete('CASCADE')
      table.integer('gateway_payment_id').unsigned().notNullable().references('payments_gateway_payments.id').onDelete('CASCADE')
      table.string('refund_id', 255).notNullable()
      table.integer('amount').notNullable()
      table.string('status', 30).notNullable()
      table.integer('ledger_refund_id').unsigned().nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.unique(['tenant_id', 'refund_id'])
      table.index(['tenant_id', 'gateway_payment_id'])
    })

    /* setup_intent.succeeded / payment_method.detached are recorded until saved methods exist */
    this.schema.createTable('payments_method_events', (table) => {
      table.increments('id')
      table.integer('tenant_id').unsigned().notNullable().references('tenants.id').onDelete('CASCADE')
      table.string('object_id', 255).notNullable()
      table.string('kind', 50).notNullable()
      table.string('customer_id', 255).nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.unique(['tenant_id', 'kind', 'object_id'])
    })
  }
}
