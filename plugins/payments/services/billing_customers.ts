/*
| Stripe Customers per invoicing client (created lazily, under a persisted idempotency key so a
| lost response never creates two), saving cards through a setup-mode Checkout Session reached
| from a public link, and saved methods brought in line with what Stripe says now (so
| setup_intent.succeeded and payment_method.detached may arrive in any order).
*/
import { randomBytes, randomUUID } from 'node:crypto'
import { DateTime } from 'luxon'
import type Stripe from 'stripe'
import { clientEmail } from '#plugins/invoicing/public'
import { NotFoundError } from '#exceptions/domain_errors'
import BillingCustomer from '../models/billing_customer.js'
import SavedMethod from '../models/saved_method.js'
import { clientFor } from './stripe_client.js'
import { withIdempotencyKey } from './idempotency.js'

export const newToken = () => randomBytes(24).toString('base64url')

/** Our row for the client (no Stripe call): holds the public setup token */
export async function customerRow(tenantId: number, clientId: number) {
  const existing = await BillingCustomer.forTenant(tenantId).where('client_id', clientId).first()
  if (existing) return existing
  try {
    return await BillingCustomer.create({ tenantId, clientId, setupToken: newToken(), stripeCustomerId: null })
  } catch (error) {
    const raced = await BillingCustomer.forTenant(tenantId).where('client_id', clientId).first()
    if (raced) return raced
    throw error
  }
}

/** The client's Stripe Customer id, creating the Customer on first use */
export async function ensureStripeCustomer(tenantId: number, clientId: number) {
  const row = await customerRow(tenantId, clientId)
  if (row.stripeCustomerId) return row
  const stripe = await clientFor(tenantId)
  const email = await clientEmail(tenantId, clientId)
  const customer = await withIdempotencyKey(tenantId, `customer:${clientId}`, 'customers.create', (idempotencyKey) =>
    stripe.customers.create({ email: email ?? undefined, metadata: { client_id: String(clientId), tenant_id: String(tenantId) } }, { idempotencyKey })
  )
  row.stripeCustomerId = customer.id
  await row.save()
  return row
}

export async function customerForSetupToken(tenantId: number, token: string) {
  if (!/^[A-Za-z0-9_-]{20,64}$/.test(token)) return null
  return BillingCustomer.forTenant(tenantId).where('setup_token', token).first()
}

/** A hosted Stripe page (Checkout in setup mode) where the client saves a card for later charges */
export async function startCardSetup(tenantId: number, customer: BillingCustomer, urls: { success: string; cancel: string }) {
  const row = await ensureStripeCustomer(tenantId, customer.clientId)
  const stripe = await clientFor(tenantId)
  const session = await withIdempotencyKey(tenantId, `setup:${row.clientId}:${randomUUID()}`, 'checkout.sessions.create', (idempotencyKey) =>
    stripe.checkout.sessions.create(
      {
        mode: 'setup',
        customer: row.stripeCustomerId!,
        metadata: { client_id: String(row.clientId), tenant_id: String(tenantId) },
        success_url: urls.success,
        cancel_url: urls.cancel,
      },
      { idempotencyKey }
    )
  )
  return session.url!
}

function cardFields(pm: Stripe.PaymentMethod) {
  return { brand: pm.card?.brand ?? pm.type, last4: pm.card?.last4 ?? null, expMonth: pm.card?.exp_month ?? null, expYear: pm.card?.exp_year ?? null }
}

async function promoteDefault(tenantId: number, clientId: number) {
  const live = await SavedMethod.forTenant(tenantId).where('client_id', clientId).whereNull('detached_at').orderBy('id', 'desc')
  if (!live.length || live.some((m) => m.isDefault)) return
  live[0].isDefault = true
  await live[0].save()
}

/** Brings one payment method in line with Stripe: saved while attached to a known customer, detached otherwise */
export async function syncPaymentMethod(tenantId: number, paymentMethodId: string) {
  const stripe = await clientFor(tenantId)
  const pm = await stripe.paymentMethods.retrieve(paymentMethodId)
  const customerId = typeof pm.customer === 'string' ? pm.customer : (pm.customer?.id ?? null)
  let row = await SavedMethod.forTenant(tenantId).where('payment_method_id', pm.id).first()
  if (!customerId) {
    if (row && !row.detachedAt) {
      row.merge({ detachedAt: DateTime.now(), isDefault: false })
      await row.save()
      await promoteDefault(tenantId, row.clientId)
    }
    return row
  }
  const owner = await BillingCustomer.forTenant(tenantId).where('stripe_customer_id', customerId).first()
  if (!owner) return null
  if (!row) {
    try {
      row = await SavedMethod.create({ tenantId, clientId: owner.clientId, paymentMethodId: pm.id, isDefault: false, ...cardFields(pm) })
    } catch (error) {
      row = await SavedMethod.forTenant(tenantId).where('payment_method_id', pm.id).first()
      if (!row) throw error
    }
  } else {
    row.merge({ ...cardFields(pm), detachedAt: null })
    await row.save()
  }
  await promoteDefault(tenantId, owner.clientId)
  return row
}

/** setup_intent.succeeded: re-read the SetupIntent, then its payment method */
export async function syncSetupIntent(tenantId: number, setupIntentId: string) {
  const stripe = await clientFor(tenantId)
  const si = await stripe.setupIntents.retrieve(setupIntentId)
  if (si.status !== 'succeeded' || !si.payment_method) return null
  return syncPaymentMethod(tenantId, typeof si.payment_method === 'string' ? si.payment_method : si.payment_method.id)
}

export function methodsOf(tenantId: number, clientId: number) {
  return SavedMethod.forTenant(tenantId).where('client_id', clientId).whereNull('detached_at').orderBy('is_default', 'desc').orderBy('id', 'desc')
}

export async function findMethod(tenantId: number, id: unknown) {
  const n = Number(id)
  const row = Number.isSafeInteger(n) && n > 0 ? await SavedMethod.forTenant(tenantId).where('id', n).whereNull('detached_at').first() : null
  if (!row) throw new NotFoundError()
  return row
}

export async function defaultMethod(tenantId: number, clientId: number) {
  return SavedMethod.forTenant(tenantId).where({ client_id: clientId, is_default: true }).whereNull('detached_at').first()
}

export async function makeDefault(method: SavedMethod) {
  await SavedMethod.forTenant(method.tenantId).where('client_id', method.clientId).update({ is_default: false })
  method.isDefault = true
  await method.save()
  return method
}

/** Detaches at Stripe, then re-reads (the payment_method.detached webhook finds it already done) */
export async function detachMethod(method: SavedMethod) {
  const stripe = await clientFor(method.tenantId)
  const pm = await stripe.paymentMethods.retrieve(method.paymentMethodId)
  if (pm.customer) await stripe.paymentMethods.detach(method.paymentMethodId)
  return syncPaymentMethod(method.tenantId, method.paymentMethodId)
}

export function serializeMethod(m: SavedMethod) {
  return { id: m.id, client_id: m.clientId, brand: m.brand, last4: m.last4, exp_month: m.expMonth, exp_year: m.expYear, is_default: m.isDefault }
}
