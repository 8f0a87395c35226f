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
  },
  settings: {
    allowPartialPayments: { type: 'boolean', label: 'payments.settings.allow_partial', default: false },
    bankTransferInstructions: { type: 'text', label: 'payments.settings.bank_instructions', default: '', maxLength: 2000 },
  },
  routes: () => import('./routes.js'),
  publicRoutes: () => import('./public_routes.js'),
  jobs: {
    'payments:process_event': { handler: () => import('./jobs/process_event_job.js') },
  },
  boot: async (ctx) => {
    const { default: taps } = await import('./handlers/index.js')
    await taps(ctx)
  },
})
