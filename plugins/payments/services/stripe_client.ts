/*
| stripe-node clients per tenant. STRIPE_API_BASE points them at another host (the tests' fake
| Stripe server); Stripe's own API otherwise.
*/
import Stripe from 'stripe'
import env from '#start/env'
import StripeAccount from '../models/stripe_account.js'
import { StripeNotConfiguredError } from '../exceptions/payments_errors.js'

export type { Stripe }

/** Signature tolerance for webhooks, in seconds (Stripe's default) */
export const WEBHOOK_TOLERANCE_S = 300

function apiBase() {
  const base = new URL(env.get('STRIPE_API_BASE') ?? 'https://api.stripe.com')
  const protocol = base.protocol === 'http:' ? 'http' : 'https'
  return { host: base.hostname, port: Number(base.port || (protocol === 'http' ? 80 : 443)), protocol } as const
}

export function stripeClient(secretKey: string) {
  return new Stripe(secretKey, {
    ...apiBase(),
    maxNetworkRetries: 1,
    timeout: 15_000,
    telemetry: false,
    appInfo: { name: 'Coderon Flow' },
  })
}

/** Only for webhook signatures and test headers: needs no key */
export const stripeWebhooks = new Stripe('sk_unused', { telemetry: false }).webhooks

export async function accountFor(tenantId: number) {
  return StripeAccount.forTenant(tenantId).first()
}

export async function clientFor(tenantId: number) {
  const account = await accountFor(tenantId)
  const key = account?.secretKey
  if (!key) throw new StripeNotConfiguredError()
  return stripeClient(key)
}
