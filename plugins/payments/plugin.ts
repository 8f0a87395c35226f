/*
| Payments: gateways (Stripe online, offline bank transfer / cash / cheque), the tenant's Stripe
| account, Pay online from the public invoice page, verified Stripe webhooks processed by a job,
| refunds and disputes. Reaches invoicing only through its public.ts and hooks.
*/
import { definePlugin } from '#kernel/plugin_manifest'

export default definePlugin({
  id: 'payments',
  name: 'Payments',
  version: '1.0.0',
  kernel: '^1.0.0',
  dependsOn: { invoicing: '^1.0.0' },
  description: 'Online payments through Stripe, offline payment methods, webhooks, refunds and disputes',
  permissions: {
    'payments.settings.manage': { label: 'payments.permissions.settings_manage', roles: ['admin'] },
    'payments.payments.view': { label: 'payments.permissions.payments_view', roles: ['admin', 'accountant', 'staff', 'viewer'] },
    'payments.payments.refund': { label: 'payments.permissions.payments_refund', roles: ['admin', 'accountant'] },
    'payments.events.view': { label: 'payments.permissions.events_view', roles: ['admin', 'accountant'] },
    'payments.events.manage': { label: 'payments.permissions.events_manage', roles: ['admin'] },
    'payments.methods.manage': { label: 'payments_billing.permissions.methods_manage', roles: ['admin', 'accountant'] },
    'payments.subscriptions.view': { label: 'payments_billing.permissions.subscriptions_view', roles: ['admin', 'accountant', 'staff', 'viewer'] },
    'payments.subscriptions.manage': { label: 'payments_billing.permissions.subscriptions_manage', roles: ['admin', 'accountant'] },
  },
  settings: {
    allowPartialPayments: { type: 'boolean', label: 'payments.settings.allow_partial', default: false },
    bankTransferInstructions: { type: 'text', label: 'payments.settings.bank_instructions', default: '', maxLength: 2000 },
  },
  routes: () => import('./routes.js'),
  publicRoutes: () => import('./public_routes.js'),
  api: () => import('./api.js'),
  openapi: () => import('./openapi.js'),
  jobs: {
    'payments:process_event': { handler: () => import('./jobs/process_event_job.js') },
    'payments:charge_invoice': { handler: () => import('./jobs/charge_invoice_job.js') },
    'payments:retry_failed_charges': { handler: () => import('./jobs/retry_failed_charges_job.js'), schedule: '23 * * * *' },
    'payments:announce_expiring_cards': { handler: () => import('./jobs/announce_expiring_cards_job.js'), schedule: '41 6 * * *' },
  },
  boot: async (ctx) => {
    const { default: taps } = await import('./handlers/index.js')
    await taps(ctx)
    const { billingTaps } = await import('./handlers/billing.js')
    billingTaps(ctx)
  },
})
