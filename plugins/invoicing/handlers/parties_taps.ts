import type { PluginContext } from '#kernel/plugin_manifest'

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
}
