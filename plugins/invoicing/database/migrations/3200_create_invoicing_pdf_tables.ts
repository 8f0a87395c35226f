import { BaseSchema } from '@adonisjs/lucid/schema'

/* Tenant PDF designs (versioned Liquid templates), the tenant's design choice, and email templates */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('invoicing_pdf_designs', (table) => {
      table.increments('id')
      table.integer('tenant_id').unsigned().notNullable().references('tenants.id').onDelete('CASCADE')
      table.string('name', 120).notNullable()
      table.integer('active_version').notNullable().defaultTo(1)
      table.integer('latest_version').notNullable().defaultTo(1)
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.index(['tenant_id'])
      table.unique(['tenant_id', 'name'])
    })
    this.schema.createTable('invoicing_pdf_design_versions', (table) => {
      table.increments('id')
      table.integer('tenant_id').unsigned().notNullable().references('tenants.id').onDelete('CASCADE')
      table.integer('design_id').unsigned().notNullable().references('invoicing_pdf_designs.id').onDelete('CASCADE')
      table.integer('version').notNullable()
      table.text('template').notNullable()
      table.integer('created_by_id').unsigned().nullable().references('users.id').onDelete('SET NULL')
      table.timestamp('created_at').notNullable()
      table.index(['tenant_id'])
      table.unique(['tenant_id', 'design_id', 'version'])
    })
    this.schema.createTable('invoicing_pdf_preferences', (table) => {
      table.increments('id')
      table.integer('tenant_id').unsigned().notNullable().references('tenants.id').onDelete('CASCADE')
      table.string('default_design', 40).notNullable()
      table.timestamp('updated_at').notNullable()
      table.unique(['tenant_id'])
    })
    this.schema.createTable('invoicing_email_templates', (table) => {
      table.increments('id')
      table.integer('tenant_id').unsigned().notNullable().references('tenants.id').onDelete('CASCADE')
      table.string('key', 40).notNullable()
      table.string('locale', 10).notNullable()
      table.string('subject', 500).notNullable()
      table.text('body').notNullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.index(['tenant_id'])
      table.unique(['tenant_id', 'key', 'locale'])
    })
  }
}
