/* The documents UI in the shell: main navigation entries and dashboard widgets */
import type { PluginContext } from '#kernel/plugin_manifest'

const plugin = 'invoicing'

export default function ({ hooks }: PluginContext) {
  hooks.addFilter(
    'nav.main',
    (items) => [
      ...items,
      {
        id: 'invoicing.invoices',
        label: 'invoicing_ui.nav.invoices',
        href: '/app/invoicing/invoices',
        icon: 'notes',
        permission: 'invoicing.documents.view',
        order: 30,
        children: [
          {
            id: 'invoicing.credit_notes',
            label: 'invoicing_ui.nav.credit_notes',
            href: '/app/invoicing/credit-notes',
            permission: 'invoicing.documents.view',
          },
        ],
      },
      {
        id: 'invoicing.quotes',
        label: 'invoicing_ui.nav.quotes',
        href: '/app/invoicing/quotes',
        icon: 'inbox',
        permission: 'invoicing.documents.view',
        order: 31,
      },
      {
        id: 'invoicing.payments',
        label: 'invoicing_ui.nav.payments',
        href: '/app/invoicing/payments',
        icon: 'chart',
        permission: 'invoicing.payments.view',
        order: 32,
      },
    ],
    { plugin }
  )
  hooks.addFilter(
    'dashboard.widgets',
    (widgets) => [
      ...widgets,
      {
        id: 'invoicing.outstanding',
        title: 'invoicing_ui.widgets.outstanding',
        url: '/app/invoicing/widgets/outstanding',
        permission: 'invoicing.documents.view',
        order: 20,
      },
      {
        id: 'invoicing.overdue',
        title: 'invoicing_ui.widgets.overdue',
        url: '/app/invoicing/widgets/overdue',
        permission: 'invoicing.documents.view',
        order: 21,
      },
      {
        id: 'invoicing.revenue',
        title: 'invoicing_ui.widgets.revenue',
        url: '/app/invoicing/widgets/revenue',
        permission: 'invoicing.documents.view',
        order: 22,
      },
    ],
    { plugin }
  )
}
