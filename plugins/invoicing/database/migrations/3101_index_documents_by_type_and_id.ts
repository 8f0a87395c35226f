/*
| The staff lists open newest first (ORDER BY id DESC within a tenant and document type). Without
| this index the database gathered and sorted every document of the tenant for each page: 365 ms
| p50 for a tenant with 100,000 invoices.
*/
import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  async up() {
    this.schema.alterTable('invoicing_documents', (table) => {
      table.index(['tenant_id', 'type', 'id'], 'invoicing_documents_tenant_type_id_index')
    })
  }

  async down() {
    this.schema.alterTable('invoicing_documents', (table) => {
      table.dropIndex(['tenant_id', 'type', 'id'], 'invoicing_documents_tenant_type_id_index')
    })
  }
}
