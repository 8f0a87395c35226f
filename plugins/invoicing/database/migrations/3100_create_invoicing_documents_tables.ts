/*
| Documents (quotes, invoices, credit notes) in ONE table with a `type`: they share lines, totals,
| numbering, the lifecycle, the public link and the PDF, and a credit note or a converted quote
| points at its origin through `related_document_id`, so one table keeps every query (lists,
| full-text search, the API, bulk jobs) a single code path instead of three copies kept in step.
|
| Calendar dates (issue, due, delivery, valid until, paid on) are 'YYYY-MM-DD' strings: a date
| column comes back as a time-zone-shifted JS Date from the PostgreSQL driver, a string compares
| and sorts the same on both databases. Money is integer minor units (bigint), quantities integer
| ten-thousandths, tax rates integer thousandths of a percent.
*/
import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  async up() {
    this.schema.createTable('invoicing_numbering_series', (table) => {
      table.increments('id')
      table.integer('tenant_id').unsigned().notNullable().references('tenants.id').onDelete('CASCADE')
      /* quote | invoice | credit_note */
      table.string('document_type', 20).notNullable()
      table.string('name', 100).notNullable()
      /* e.g. "INV-{YYYY}-{counter:5}" */
      table.string('pattern', 100).notNullable()
      /* never | yearly | monthly */
      table.string('reset', 10).notNullable().defaultTo('never')
      table.integer('start_number').notNullable().defaultTo(1)
      table.boolean('is_default').notNullable().defaultTo(false)
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.index(['tenant_id'])
      table.unique(['tenant_id', 'document_type', 'name'])
    })

    /* One row per series and period ('' when the series never resets, '2026', '2026-03'); the
       finalising transaction increments it, so a rolled-back finalisation gives its number back */
    this.schema.createTable('invoicing_numbering_counters', (table) => {
      table.increments('id')
      table.integer('tenant_id').unsigned().notNullable().references('tenants.id').onDelete('CASCADE')
      table.integer('series_id').unsigned().notNullable().references('invoicing_numbering_series.id').onDelete('CASCADE')
      table.string('period', 7).notNullable()
      table.integer('last_value').notNullable().defaultTo(0)
      table.timestamp('updated_at').notNullable()
      table.index(['tenant_id'])
      table.unique(['tenant_id', 'series_id', 'period'])
    })

    this.schema.createTable('invoicing_documents', (table) => {
      table.increments('id')
      table.integer('tenant_id').unsigned().notNullable().references('tenants.id').onDelete('CASCADE')
      /* quote | invoice | credit_note */
      table.string('type', 20).notNullable()
      /* draft | finalized | sent | viewed | partially_paid | paid | void | written_off
         | accepted | declined | converted (quotes); overdue is derived, never stored */
      table.string('status', 20).notNullable().defaultTo('draft')
      table.integer('client_id').unsigned().notNullable().references('invoicing_clients.id')
      /* denormalised for sorting and search; refreshed on every draft save */
      table.string('client_name', 255).notNullable().defaultTo('')
      table.integer('series_id').unsigned().nullable().references('invoicing_numbering_series.id')
      table.string('number', 100).nullable()
      table.string('number_period', 7).nullable()
      table.integer('number_counter').nullable()
      /* credit note → the invoice it corrects; invoice → the quote it came from */
      table.integer('related_document_id').unsigned().nullable().references('invoicing_documents.id')
      table.string('currency', 3).notNullable()
      table.string('language', 10).notNullable().defaultTo('en')
      table.boolean('prices_include_tax').notNullable().defaultTo(false)
      /* set when the draft is created (today unless given), so lists can sort and page by it */
      table.string('issue_date', 10).notNullable()
      table.string('due_date', 10).nullable()
      table.string('delivery_date', 10).nullable()
      table.string('valid_until', 10).nullable()
      /* EN 16931 BT-10 buyer reference, BT-13 purchase order reference, BT-81 payment means (UNCL4461) */
      table.string('buyer_reference', 200).nullable()
      table.string('order_reference', 200).nullable()
      table.string('payment_means_code', 3).notNullable().defaultTo('58')
      table.integer('payment_terms_days').nullable()
      table.text('notes').nullable()
      table.text('terms').nullable()
      table.text('footer').nullable()
      /* document discount: percent (thousandths of a percent) or amount (minor units) */
      table.string('discount_type', 10).nullable()
      table.bigInteger('discount_value').notNullable().defaultTo(0)
      table.bigInteger('subtotal').notNullable().defaultTo(0)
      table.bigInteger('discount_total').notNullable().defaultTo(0)
      table.bigInteger('net_total').notNullable().defaultTo(0)
      table.bigInteger('tax_total').notNullable().defaultTo(0)
      table.bigInteger('total').notNullable().defaultTo(0)
      table.bigInteger('amount_paid').notNullable().defaultTo(0)
      table.bigInteger('amount_credited').notNullable().defaultTo(0)
      table.bigInteger('balance_due').notNullable().defaultTo(0)
      /* JSON: tax groups as computed at the last save */
      table.text('tax_breakdown').notNullable().defaultTo('[]')
      /* JSON snapshots taken at finalisation (seller = tenant profile, buyer = client) */
      table.text('seller_snapshot').nullable()
      table.text('buyer_snapshot').nullable()
      /* SHA-256 of the public link token; the token itself is derived from the app key and a salt */
      table.string('public_token_hash', 64).nullable().unique()
      table.string('public_token_salt', 64).nullable()
      /* bumped on every content or status change: the PDF cache key */
      table.integer('version').notNullable().defaultTo(1)
      table.timestamp('finalized_at').nullable()
      table.timestamp('sent_at').nullable()
      table.timestamp('viewed_at').nullable()
      table.timestamp('paid_at').nullable()
      table.timestamp('voided_at').nullable()
      table.timestamp('written_off_at').nullable()
      table.timestamp('accepted_at').nullable()
      table.timestamp('declined_at').nullable()
      table.integer('created_by').unsigned().nullable().references('users.id').onDelete('SET NULL')
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.index(['tenant_id'])
      table.index(['tenant_id', 'type', 'status'])
      table.index(['tenant_id', 'type', 'issue_date'])
      table.index(['tenant_id', 'type', 'due_date'])
      table.index(['tenant_id', 'type', 'created_at'])
      table.index(['tenant_id', 'type', 'total'])
      table.index(['tenant_id', 'client_id'])
      table.index(['tenant_id', 'related_document_id'])
      table.unique(['tenant_id', 'series_id', 'number_period', 'number_counter'])
      table.unique(['tenant_id', 'type', 'number'])
    })

    this.schema.createTable('invoicing_document_lines', (table) => {
      table.increments('id')
      table.integer('tenant_id').unsigned().notNullable().references('tenants.id').onDelete('CASCADE')
      table.integer('document_id').unsigned().notNullable().references('invoicing_documents.id').onDelete('CASCADE')
      table.integer('position').notNullable()
      table.integer('product_id').unsigned().nullable()
      table.text('description').notNullable()
      table.bigInteger('quantity').notNullable()
      /* UN/ECE Rec 20 unit code (C62, HUR, DAY, …) */
      table.string('unit', 3).notNullable().defaultTo('C62')
      table.bigInteger('unit_price').notNullable()
      /* percent (thousandths of a percent) or amount (minor units) */
      table.string('discount_type', 10).nullable()
      table.bigInteger('discount_value').notNullable().defaultTo(0)
      /* copied from the tax rate so editing the rate never changes an issued document */
      table.integer('tax_rate_id').unsigned().nullable()
      table.string('tax_name', 100).nullable()
      table.integer('tax_rate').notNullable().defaultTo(0)
      table.string('tax_category', 2).notNullable().defaultTo('S')
      table.text('tax_exemption_reason').nullable()
      table.bigInteger('net_amount').notNullable().defaultTo(0)
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.index(['tenant_id'])
      table.index(['tenant_id', 'document_id', 'position'])
    })

    /* Money received from (kind payment) or paid back to (kind refund) a client */
    this.schema.createTable('invoicing_payments', (table) => {
      table.increments('id')
      table.integer('tenant_id').unsigned().notNullable().references('tenants.id').onDelete('CASCADE')
      table.integer('client_id').unsigned().notNullable().references('invoicing_clients.id')
      /* payment | refund */
      table.string('kind', 10).notNullable().defaultTo('payment')
      /* bank_transfer | cash | cheque | card | other */
      table.string('method', 20).notNullable()
      table.string('currency', 3).notNullable()
      table.bigInteger('amount').notNullable()
      table.bigInteger('fee').notNullable().defaultTo(0)
      table.bigInteger('refunded_amount').notNullable().defaultTo(0)
      table.string('paid_on', 10).notNullable()
      table.string('reference', 200).nullable()
      table.string('gateway', 50).nullable()
      table.string('gateway_reference', 200).nullable()
      table.integer('refund_of_id').unsigned().nullable().references('invoicing_payments.id')
      table.text('notes').nullable()
      table.integer('created_by').unsigned().nullable().references('users.id').onDelete('SET NULL')
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.index(['tenant_id'])
      table.index(['tenant_id', 'client_id'])
      table.index(['tenant_id', 'paid_on'])
      table.unique(['tenant_id', 'gateway', 'gateway_reference'])
    })

    /* How a payment, a credit note or client credit settles an invoice (negative: taken back) */
    this.schema.createTable('invoicing_payment_allocations', (table) => {
      table.increments('id')
      table.integer('tenant_id').unsigned().notNullable().references('tenants.id').onDelete('CASCADE')
      table.integer('document_id').unsigned().notNullable().references('invoicing_documents.id')
      /* payment | credit | credit_note | refund | write_off */
      table.string('source', 20).notNullable()
      table.integer('payment_id').unsigned().nullable().references('invoicing_payments.id')
      table.integer('credit_note_id').unsigned().nullable().references('invoicing_documents.id')
      table.bigInteger('amount').notNullable()
      table.timestamp('created_at').notNullable()
      table.index(['tenant_id'])
      table.index(['tenant_id', 'document_id'])
      table.index(['tenant_id', 'payment_id'])
    })

    /* Client credit ledger per currency: + overpayment or credit note surplus, − applied or refunded */
    this.schema.createTable('invoicing_client_credits', (table) => {
      table.increments('id')
      table.integer('tenant_id').unsigned().notNullable().references('tenants.id').onDelete('CASCADE')
      table.integer('client_id').unsigned().notNullable().references('invoicing_clients.id')
      table.string('currency', 3).notNullable()
      table.bigInteger('amount').notNullable()
      /* overpayment | credit_note | applied | refund */
      table.string('source', 20).notNullable()
      table.integer('payment_id').unsigned().nullable().references('invoicing_payments.id')
      table.integer('document_id').unsigned().nullable().references('invoicing_documents.id')
      table.timestamp('created_at').notNullable()
      table.index(['tenant_id'])
      table.index(['tenant_id', 'client_id', 'currency'])
    })
  }
}
