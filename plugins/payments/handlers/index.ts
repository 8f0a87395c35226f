/* Hook taps of the payments plugin: Pay / bank transfer on the public invoice, nav, notification events */
import type { PluginContext } from '#kernel/plugin_manifest'
import plugins from '#kernel/plugin_service'
import { accountFor } from '../services/stripe_client.js'
import { registerBuiltInGateways } from '../services/gateways.js'

const NOTICES = ['payment_received', 'payment_failed', 'dispute_opened', 'dispute_closed']

export default async function taps({ hooks }: PluginContext) {
  registerBuiltInGateways()

  hooks.addFilter(
    'ui.slot.invoicing.public_actions',
    async (items, meta: any) => {
      const doc = meta.document
      if (!meta.tenantId || !doc || doc.type !== 'invoice' || Number(doc.balanceDue) <= 0 || !doc.publicPath) return items
      const account = await accountFor(meta.tenantId)
      const settings = await plugins.settingsFor(meta.tenantId, 'payments')
      const token = String(doc.publicPath).split('/').pop()
      return [
        ...items,
        {
          id: 'payments.pay',
          view: 'payments::partials/public_pay',
          data: {
            payToken: token,
            payOnline: Boolean(account?.configured),
            allowPartial: Boolean(settings.allowPartialPayments),
            balanceDue: Number(doc.balanceDue),
            currency: doc.currency,
            bankInstructions: String(settings.bankTransferInstructions ?? '').trim(),
          },
        },
      ]
    },
    { plugin: 'payments' }
  )

  hooks.addFilter(
    'ui.slot.invoicing.client_sidebar',
    (items, meta: any) => (meta.clientId ? [...items, { id: 'payments.client_history', view: 'payments::partials/client_payments_link', data: { clientId: meta.clientId } }] : items),
    { plugin: 'payments' }
  )
  hooks.addFilter(
    'nav.main',
    (items) => [...items, { id: 'payments.payments', label: 'payments.nav', href: '/app/payments/payments', permission: 'payments.payments.view', order: 45 }],
    { plugin: 'payments' }
  )
  hooks.addFilter(
    'settings.sections',
    (sections) => [
      ...sections,
      { id: 'payments.stripe', label: 'payments.settings.title', href: '/app/payments/settings', permission: 'payments.settings.manage', order: 70 },
      { id: 'payments.events', label: 'payments.events.title', href: '/app/payments/events', permission: 'payments.events.view', order: 71 },
    ],
    { plugin: 'payments' }
  )
  hooks.addFilter(
    'notifications.events',
    (events) => [...events, ...NOTICES.map((n) => ({ id: `payments.${n}`, label: `payments.notices.${n}_label`, plugin: 'payments' }))],
    { plugin: 'payments' }
  )
}
