/* Taps of the documents area: declares the plugin's hooks and adds Settings → Numbering */
import type { PluginContext } from '#kernel/plugin_manifest'
import { declareInvoicingHooks } from '../hooks.js'

export default function ({ hooks }: PluginContext) {
  declareInvoicingHooks(hooks)
  hooks.addFilter(
    'settings.sections',
    (sections) => [
      ...sections,
      {
        id: 'invoicing.numbering',
        label: 'invoicing_core.numbering.title',
        href: '/app/invoicing/settings/numbering',
        permission: 'invoicing.settings.manage',
        order: 60,
      },
    ],
    { plugin: 'invoicing' }
  )
}
