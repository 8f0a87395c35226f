/*
| Taps of the documents area: declares the plugin's hooks, adds Settings → Numbering, and turns
| document and payment events into outgoing webhook events tenants can subscribe to.
*/
import type { PluginContext } from '#kernel/plugin_manifest'
/* imported here (not lazily) because it declares the `webhooks.events` hook tapped below */
import { emit } from '#services/webhook_service'
import { ACTIONS, declareInvoicingHooks, type DocumentEvent, type PaymentEvent } from '../hooks.js'

/* the events worth a webhook (invoice.recurring.due is internal: the invoice it made fires its own) */
const WEBHOOK_EVENTS = ACTIONS.filter((name) => name !== 'invoice.recurring.due')

/* by event name: invoice.paid and invoice.partially_paid also carry the paymentId that caused them */
function webhookData(name: string, payload: Record<string, any>) {
  if (name.startsWith('payment.')) {
    const p = payload as PaymentEvent & { refundOfId?: number }
    return {
      payment_id: p.paymentId,
      client_id: p.clientId,
      amount: p.amount,
      currency: p.currency,
      method: p.method,
      gateway: p.gateway,
      gateway_reference: p.gatewayReference,
      credited: p.credited,
      allocations: p.allocations.map((a) => ({ invoice_id: a.invoiceId, amount: a.amount })),
      ...(p.refundOfId ? { refund_of_id: p.refundOfId } : {}),
    }
  }
  const d = payload as DocumentEvent
  return {
    id: d.documentId,
    type: d.type,
    number: d.number,
    status: d.status,
    client_id: d.clientId,
    currency: d.currency,
    total: d.total,
    balance_due: d.balanceDue,
  }
}

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
  hooks.addFilter(
    'webhooks.events',
    (types) => [...types, ...WEBHOOK_EVENTS.map((type) => ({ type, label: type, plugin: 'invoicing' }))],
    { plugin: 'invoicing' }
  )
  for (const name of WEBHOOK_EVENTS) {
    hooks.addAction(
      name,
      (payload: any) => emit(payload.tenantId, name, webhookData(name, payload)).then(() => undefined),
      { plugin: 'invoicing' }
    )
  }
}
