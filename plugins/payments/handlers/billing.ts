/*
| Billing taps: a recurring invoice that falls due is charged off-session (in a job, the hook must
| stay fast), and Stripe events about saved methods and off-session charges. Called from
| handlers/index.ts (hooks) and services/stripe_events.ts (events).
*/
import Stripe from 'stripe'
import type { PluginContext } from '#kernel/plugin_manifest'
import jobs from '#services/jobs'
import { syncPaymentMethod, syncSetupIntent } from '../services/billing_customers.js'
import { syncOffsessionPaymentIntent } from '../services/auto_billing.js'

export const BILLING_EVENTS = new Set(['setup_intent.succeeded', 'payment_method.detached', 'payment_method.attached', 'payment_method.updated'])

export function billingTaps({ hooks }: PluginContext) {
  hooks.addAction(
    'invoice.recurring.due',
    async ({ tenantId, invoiceId }) => {
      await jobs.dispatch('payments:charge_invoice', { tenantId, invoiceId })
    },
    { plugin: 'payments' }
  )
  hooks.addFilter(
    'nav.main',
    (items) => [
      ...items,
      { id: 'payments.subscriptions', label: 'payments_billing.staff.nav_subscriptions', href: '/app/payments/subscriptions', icon: 'activity', permission: 'payments.subscriptions.view', order: 46 },
      { id: 'payments.plans', label: 'payments_billing.staff.nav_plans', href: '/app/payments/plans', icon: 'notes', permission: 'payments.subscriptions.view', order: 47 },
      { id: 'payments.methods', label: 'payments_billing.staff.nav_methods', href: '/app/payments/methods', icon: 'key', permission: 'payments.methods.manage', order: 48 },
    ],
    { plugin: 'payments' }
  )
  hooks.addFilter(
    'notifications.events',
    (events) => [...events, { id: 'payments.charge_exhausted', label: 'payments_billing.notices.charge_exhausted_label', plugin: 'payments' }],
    { plugin: 'payments' }
  )
}

/** Stripe events of saved methods; every handler re-reads the object, so order does not matter */
export async function handleBillingEvent(tenantId: number, type: string, object: any): Promise<'processed' | 'ignored'> {
  try {
    if (type === 'setup_intent.succeeded') await syncSetupIntent(tenantId, object.id)
    else await syncPaymentMethod(tenantId, object.id)
    return 'processed'
  } catch (error) {
    /* an object this account does not have (deleted, or never ours) has nothing to bring in */
    if (error instanceof Stripe.errors.StripeInvalidRequestError && error.code === 'resource_missing') return 'ignored'
    throw error
  }
}

/** After the payments core synced a PaymentIntent: the off-session charge row follows */
export async function afterPaymentIntent(tenantId: number, paymentIntent: { id: string; metadata?: Record<string, string> | null }) {
  if (paymentIntent.metadata?.offsession === '1') await syncOffsessionPaymentIntent(tenantId, paymentIntent.id)
}
