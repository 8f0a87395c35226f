import { BaseSchema } from '@adonisjs/lucid/schema'

/*
| Per-tenant IP allowlists (one list for the admin UI, one for API tokens) and the tenant's
| admin policies kept by the security settings: audit retention and API rate-limit overrides.
*/
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('ip_allowlist_entries', (table) => {
      table.increments('id')
      table.integer('tenant_id').unsigned().notNullable().references('tenants.id').onDelete('CASCADE')
      /* 'ui' or 'api' */
      table.string('scope', 10).notNullable()
      /* normalised CIDR: 203.0.113.0/24, 2001:db8::/32 */
      table.string('cidr', 64).notNullable()
      table.string('label', 100).nullable()
      table.timestamp('created_at').notNullable()
      table.unique(['tenant_id', 'scope', 'cidr'])
      table.index(['tenant_id', 'scope'])
    })

    this.schema.createTable('tenant_admin_policies', (table) => {
      table.increments('id')
      table.integer('tenant_id').unsigned().notNullable().references('tenants.id').onDelete('CASCADE')
      table.integer('audit_retention_days').notNullable().defaultTo(365)
      /* null: the installation-wide default from API_RATE_LIMIT / API_RATE_LIMIT_IP */
      table.integer('api_rate_limit_per_token').nullable()
      table.integer('api_rate_limit_per_ip').nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.unique(['tenant_id'])
    })
  }
}
