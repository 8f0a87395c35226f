import { BaseSchema } from '@adonisjs/lucid/schema'

/* Clients, their contacts, tax rates and the product catalogue of the invoicing plugin */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('invoicing_clients', (table) => {
      table.increments('id')
      table.integer('tenant_id').unsigned().notNullable().references('tenants.id').onDelete('CASCADE')
      /* company | individual */
      table.string('kind', 20).notNullable()
      table.string('name', 200).notNullable()
      table.string('email', 254).nullable()
      table.string('phone', 50).nullable()
      table.string('vat_id', 30).nullable()
      table.string('tax_id', 50).nullable()
      table.string('currency', 3).notNullable()
      table.string('language', 10).notNullable()
      /* null: the plugin setting paymentTermsDays applies */
      table.integer('payment_terms_days').nullable()
      table.string('address_line1', 200).nullable()
      table.string('address_line2', 200).nullable()
      table.string('postal_code', 20).nullable()
      table.string('city', 100).nullable()
      table.string('region', 100).nullable()
      table.string('country', 2).nullable()
      table.text('notes').nullable()
      table.timestamp('archived_at').nullable()
      table.integer('merged_into_id').unsigned().nullable().references('invoicing_clients.id').onDelete('SET NULL')
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.index(['tenant_id'])
      table.index(['tenant_id', 'name', 'id'])
      table.index(['tenant_id', 'created_at', 'id'])
    })

    this.schema.createTable('invoicing_contacts', (table) => {
      table.increments('id')
      table.integer('tenant_id').unsigned().notNullable().references('tenants.id').onDelete('CASCADE')
      table.integer('client_id').unsigned().notNullable().references('invoicing_clients.id').onDelete('CASCADE')
      table.string('first_name', 100).notNullable()
      table.string('last_name', 100).nullable()
      table.string('email', 254).nullable()
      table.string('phone', 50).nullable()
      table.string('role', 100).nullable()
      table.boolean('is_primary').notNullable().defaultTo(false)
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.index(['tenant_id'])
      table.index(['tenant_id', 'client_id'])
    })

    this.schema.createTable('invoicing_tax_rates', (table) => {
      table.increments('id')
      table.integer('tenant_id').unsigned().notNullable().references('tenants.id').onDelete('CASCADE')
      table.string('name', 100).notNullable()
      /* thousandths of a percent: 19% = 19000 */
      table.integer('rate').notNullable()
      /* EN 16931 / UNCL5305: S Z E AE K G O */
      table.string('category', 2).notNullable()
      table.string('exemption_reason', 500).nullable()
      table.boolean('is_default').notNullable().defaultTo(false)
      table.timestamp('archived_at').nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.index(['tenant_id'])
      table.unique(['tenant_id', 'name'])
    })

    this.schema.createTable('invoicing_products', (table) => {
      table.increments('id')
      table.integer('tenant_id').unsigned().notNullable().references('tenants.id').onDelete('CASCADE')
      table.string('name', 200).notNullable()
      table.text('description').nullable()
      table.string('sku', 64).nullable()
      /* UN/ECE Recommendation 20 unit code: C62 piece, HUR hour, DAY day */
      table.string('unit', 3).notNullable()
      /* integer minor units of `currency` */
      table.bigInteger('unit_price').notNullable()
      table.string('currency', 3).notNullable()
      table.integer('tax_rate_id').unsigned().nullable().references('invoicing_tax_rates.id').onDelete('SET NULL')
      table.timestamp('archived_at').nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.index(['tenant_id'])
      table.index(['tenant_id', 'name', 'id'])
      table.unique(['tenant_id', 'sku'])
    })
  }
}
