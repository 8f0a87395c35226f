/*
| Invoicing: clients, catalogue and taxes, quotes, invoices, credit notes, recurring profiles,
| numbering, PDFs, sending, and the payments ledger. The kernel's first real plugin: it adds
| itself through this manifest and hooks only.
*/
import { definePlugin } from '#kernel/plugin_manifest'

export default definePlugin({
  id: 'invoicing',
  name: 'Invoicing',
  version: '1.0.0',
  kernel: '^1.0.0',
  description: 'Clients, quotes, invoices, credit notes, recurring billing, PDFs and the payments ledger',
  permissions: {
    'invoicing.clients.view': { label: 'invoicing.permissions.clients_view', roles: ['admin', 'accountant', 'staff', 'viewer'] },
    'invoicing.clients.manage': { label: 'invoicing.permissions.clients_manage', roles: ['admin', 'accountant', 'staff'] },
    'invoicing.catalogue.view': { label: 'invoicing.permissions.catalogue_view', roles: ['admin', 'accountant', 'staff', 'viewer'] },
    'invoicing.catalogue.manage': { label: 'invoicing.permissions.catalogue_manage', roles: ['admin', 'accountant'] },
    'invoicing.documents.view': { label: 'invoicing.permissions.documents_view', roles: ['admin', 'accountant', 'staff', 'viewer'] },
    'invoicing.documents.manage': { label: 'invoicing.permissions.documents_manage', roles: ['admin', 'accountant', 'staff'] },
    'invoicing.documents.issue': { label: 'invoicing.permissions.documents_issue', roles: ['admin', 'accountant'] },
    'invoicing.payments.view': { label: 'invoicing.permissions.payments_view', roles: ['admin', 'accountant', 'staff', 'viewer'] },
    'invoicing.payments.manage': { label: 'invoicing.permissions.payments_manage', roles: ['admin', 'accountant'] },
    'invoicing.settings.manage': { label: 'invoicing.permissions.settings_manage', roles: ['admin'] },
  },
  settings: {
    paymentTermsDays: { type: 'number', label: 'invoicing.settings.payment_terms_days', default: 14, min: 0, max: 365 },
    quoteValidityDays: { type: 'number', label: 'invoicing.settings.quote_validity_days', default: 30, min: 1, max: 365 },
    defaultCurrency: { type: 'string', label: 'invoicing.settings.default_currency', default: 'EUR', maxLength: 3 },
    pricesIncludeTax: { type: 'boolean', label: 'invoicing.settings.prices_include_tax', default: false },
    paperSize: { type: 'select', label: 'invoicing.settings.paper_size', default: 'auto', options: ['auto', 'A4', 'Letter'] },
    defaultTerms: { type: 'text', label: 'invoicing.settings.default_terms', default: '', maxLength: 2000 },
    defaultFooter: { type: 'text', label: 'invoicing.settings.default_footer', default: '', maxLength: 2000 },
  },
  routes: () => import('./routes.js'),
  api: () => import('./api.js'),
  openapi: () => import('./openapi.js'),
  publicRoutes: () => import('./public_routes.js'),
  jobs: {
    'invoicing:send_document': { handler: () => import('./jobs/send_document_job.js') },
    'invoicing:bulk_documents': { handler: () => import('./jobs/bulk_documents_job.js') },
    'invoicing:run_recurring': { handler: () => import('./jobs/run_recurring_job.js'), schedule: '7 * * * *' },
  },
  register: async ({ hooks }) => {
    const { declarePartiesHooks } = await import('./handlers/parties_hooks.js')
    declarePartiesHooks(hooks)
  },
  onEnable: async (tenant) => {
    const { seedTenantDefaults } = await import('./handlers/parties_enable.js')
    await seedTenantDefaults(tenant)
  },
  boot: async (ctx) => {
    const { default: taps } = await import('./handlers/index.js')
    await taps(ctx)
  },
  /* Close the warm PDF browser so no Chromium outlives the process */
  shutdown: async () => {
    const { closePdfPool } = await import('./services/pdf/document_renderer.js')
    await closePdfPool()
  },
})
