import db from '@adonisjs/lucid/services/db'
import type { PluginContext } from '#kernel/plugin_manifest'
import Client from '../models/client.js'

/*
| Tables of this plugin that point at a client. A merge moves their rows to the survivor: the
| payments and credit tables are ledgers, so the survivor's balances are simply the sums. Issued
| documents keep their buyer snapshot; drafts take the survivor's name.
*/
const CLIENT_REFERENCES = ['invoicing_documents', 'invoicing_payments', 'invoicing_client_credits', 'invoicing_recurring_profiles']

export default function ({ hooks }: PluginContext) {
  hooks.addFilter(
    'nav.main',
    (items) => [
      ...items,
      {
        id: 'invoicing.clients',
        label: 'invoicing.nav.clients',
        href: '/app/invoicing/clients',
        icon: 'users',
        permission: 'invoicing.clients.view',
        order: 30,
      },
      {
        id: 'invoicing.catalogue',
        label: 'invoicing.nav.catalogue',
        href: '/app/invoicing/products',
        icon: 'notes',
        permission: 'invoicing.catalogue.view',
        order: 35,
      },
      {
        id: 'invoicing.recurring',
        label: 'invoicing.nav.recurring',
        href: '/app/invoicing/recurring',
        icon: 'activity',
        permission: 'invoicing.documents.view',
        order: 33,
      },
    ],
    { plugin: 'invoicing' }
  )

  hooks.addAction(
    'invoicing.clients.merged',
    async ({ tenantId, survivorId, mergedId }) => {
      const survivor = await Client.forTenant(tenantId).where('id', survivorId).firstOrFail()
      await db.transaction(async (trx) => {
        for (const table of CLIENT_REFERENCES) {
          await trx.from(table).where('tenant_id', tenantId).where('client_id', mergedId).update({ client_id: survivorId })
        }
        await trx
          .from('invoicing_documents')
          .where('tenant_id', tenantId)
          .where('client_id', survivorId)
          .where('status', 'draft')
          .update({ client_name: survivor.name })
      })
    },
    { plugin: 'invoicing' }
  )
}
