/* Taps of the PDF area: Settings → PDF designs and Settings → Email templates */
import type { PluginContext } from '#kernel/plugin_manifest'

export default function ({ hooks }: PluginContext) {
  hooks.addFilter(
    'settings.sections',
    (sections) => [
      ...sections,
      {
        id: 'invoicing.designs',
        label: 'invoicing_pdf.nav.designs',
        href: '/app/invoicing/designs',
        permission: 'invoicing.settings.manage',
        order: 61,
      },
      {
        id: 'invoicing.email_templates',
        label: 'invoicing_pdf.nav.email_templates',
        href: '/app/invoicing/email-templates',
        permission: 'invoicing.settings.manage',
        order: 62,
      },
    ],
    { plugin: 'invoicing' }
  )
}
