/*
| Auto-billing: a recurring invoice that falls due is charged off-session to the client's default
| saved method. The idempotency key of each attempt is persisted before the call and the attempt
| number only moves on once the outcome is known, so a retry after a lost response replays the
| same charge instead of making a second one. Success reaches the ledger through the same
| exactly-once path as the webhooks (syncPaymentIntent, keyed by the PaymentIntent id).
| Outcomes: succeeded → paid; authentication_required → the client is mailed a link to pass
| 3-D Secure and the invoice stays open; declined → retried after RETRY_AFTER_DAYS, then the
| tenant is told.
*/
import { DateTime } from 'luxon'
import Stripe from 'stripe'
import i18nManager from '@adonisjs/i18n/services/main'
import logger from '@adonisjs/core/services/logger'
import { clientEmail, invoiceSummary } from '#plugins/invoicing/public'
import { queueMail } from '#services/mail_dispatcher'
import { tenantUrl } from '#services/mail_service'
import { notify, usersWithPermission } from '#services/notification_service'
import { tenantContext } from '#tenancy/tenant_context'
import OffsessionCharge from '../models/offsession_charge.js'
import BillingCustomer from '../models/billing_customer.js'
import { accountFor, clientFor } from './stripe_client.js'
import { withIdempotencyKey } from './idempotency.js'
import { syncPaymentIntent } from './stripe_payments.js'
import { defaultMethod, newToken } from './billing_customers.js'
import { formatMoney } from './payment_notices.js'

/** Days after the 1st, 2nd and 3rd declined attempt until the next; after the 4th the tenant is told */
export const RETRY_AFTER_DAYS = [1, 3, 5]

async function chargeRow(tenantId: number, invoiceId: number, clientId: number) {
  const existing = await OffsessionCharge.forTenant(tenantId).where('invoice_id', invoiceId).first()
  if (existing) return existing
  try {
    return await OffsessionCharge.create({ tenantId, invoiceId, clientId, attempts: 0, status: 'pending' })
  } catch (error) {
    const raced = await OffsessionCharge.forTenant(tenantId).where('invoice_id', invoiceId).first()
    if (raced) return raced
    throw error
  }
}

/**
 * Charges the open balance of an issued invoice to the client's default method. Returns the
 * charge row, or null when there is nothing to charge (no Stripe account, no saved method,
 * nothing due, a draft).
 */
export async function chargeInvoice(tenantId: number, invoiceId: number, at: DateTime = DateTime.now()) {
  const invoice = await invoiceSummary(tenantId, invoiceId)
  if (!invoice || invoice.type !== 'invoice' || invoice.status === 'draft' || invoice.balanceDue <= 0) return null
  const account = await accountFor(tenantId)
  if (!account?.secretKey) return null
  const method = await defaultMethod(tenantId, invoice.clientId)
  const customer = await BillingCustomer.forTenant(tenantId).where('client_id', invoice.clientId).first()
  if (!method || !customer?.stripeCustomerId) return null

  const row = await chargeRow(tenantId, invoiceId, invoice.clientId)
  if (row.status === 'succeeded' || row.status === 'requires_action' || row.status === 'exhausted') return row
  const stripe = await clientFor(tenantId)
  const attempt = row.attempts + 1
  const pi = await withIdempotencyKey(tenantId, `offsession:${invoiceId}:${attempt}`, 'payment_intents.create', async (idempotencyKey) => {
    try {
      return await stripe.paymentIntents.create(
        {
          amount: invoice.balanceDue,
          currency: invoice.currency.toLowerCase(),
          customer: customer.stripeCustomerId!,
          payment_method: method.paymentMethodId,
          off_session: true,
          confirm: true,
          description: `Invoice ${invoice.number ?? invoice.id}`,
          metadata: { invoice_id: String(invoice.id), client_id: String(invoice.clientId), tenant_id: String(tenantId), offsession: '1' },
        },
        { idempotencyKey }
      )
    } catch (error) {
      /* a card error is an outcome, not a failure of the call: Stripe answers it with the PaymentIntent */
      if (error instanceof Stripe.errors.StripeCardError && error.payment_intent) return error.payment_intent
      throw error
    }
  })
  row.attempts = attempt
  await row.save()
  return applyPaymentIntent(row, pi, { at, fresh: true })
}

/**
 * Brings the charge row to a PaymentIntent's state, from our own attempt (`fresh`) or from a
 * webhook, which may be late or repeated.
 */
export async function applyPaymentIntent(row: OffsessionCharge, pi: Stripe.PaymentIntent, { at = DateTime.now() as DateTime, fresh = false } = {}) {
  const tenantId = row.tenantId
  if (row.status === 'succeeded') return row
  if (pi.status === 'succeeded') {
    const stripe = await clientFor(tenantId)
    const full = await stripe.paymentIntents.retrieve(pi.id, { expand: ['latest_charge.balance_transaction'] })
    await syncPaymentIntent(tenantId, full)
    row.merge({ status: 'succeeded', paymentIntentId: pi.id, nextRetryAt: null, failureCode: null, failureMessage: null })
    await row.save()
    return row
  }
  /* an older event about an attempt that has since been superseded changes nothing */
  if (!fresh && row.paymentIntentId && row.paymentIntentId !== pi.id && row.status !== 'pending') return row
  const error = pi.last_payment_error
  if (pi.status === 'requires_action') {
    if (row.status === 'requires_action' && row.paymentIntentId === pi.id) return row
    row.merge({ status: 'requires_action', paymentIntentId: pi.id, actionToken: row.actionToken ?? newToken(), failureCode: error?.code ?? 'authentication_required', failureMessage: error?.message ?? null, nextRetryAt: null })
    await row.save()
    await mailAuthenticationLink(row)
    return row
  }
  if (pi.status === 'requires_payment_method' || pi.status === 'canceled') {
    if (row.paymentIntentId === pi.id && row.status !== 'pending') return row
    const exhausted = row.attempts > RETRY_AFTER_DAYS.length
    row.merge({
      paymentIntentId: pi.id,
      status: exhausted ? 'exhausted' : 'failed',
      failureCode: error?.decline_code ?? error?.code ?? 'declined',
      failureMessage: error?.message ?? null,
      nextRetryAt: exhausted ? null : at.plus({ days: RETRY_AFTER_DAYS[row.attempts - 1] }),
    })
    await row.save()
    if (exhausted) await tellTenant(row)
    return row
  }
  row.merge({ status: 'pending', paymentIntentId: pi.id })
  await row.save()
  return row
}

/** payment_intent.* webhooks of off-session charges: re-read the PaymentIntent and apply it */
export async function syncOffsessionPaymentIntent(tenantId: number, paymentIntentId: string) {
  const stripe = await clientFor(tenantId)
  const pi = await stripe.paymentIntents.retrieve(paymentIntentId)
  if (pi.metadata?.offsession !== '1') return null
  const row = await OffsessionCharge.forTenant(tenantId).where('invoice_id', Number(pi.metadata.invoice_id)).first()
  return row ? applyPaymentIntent(row, pi) : null
}

/** The scheduled retry: every declined charge whose time has come is charged again */
export async function retryDueCharges(at: DateTime = DateTime.now()) {
  const tenant = tenantContext.requireTenant('payments retries')
  const due = await OffsessionCharge.forTenant(tenant.id).where('status', 'failed').whereNotNull('next_retry_at').where('next_retry_at', '<=', at.toUTC().toSQL({ includeOffset: false })!).orderBy('id')
  const results: OffsessionCharge[] = []
  for (const row of due) {
    try {
      const invoice = await invoiceSummary(tenant.id, row.invoiceId)
      if (!invoice || invoice.balanceDue <= 0) {
        /* paid or voided meanwhile (e.g. a bank transfer): nothing left to retry */
        row.merge({ status: 'succeeded', nextRetryAt: null })
        await row.save()
        continue
      }
      const charged = await chargeInvoice(tenant.id, row.invoiceId, at)
      if (charged) results.push(charged)
    } catch (error) {
      logger.error({ err: error, tenantId: tenant.id, invoiceId: row.invoiceId }, 'off-session retry failed')
    }
  }
  return results
}

async function localeOf() {
  const tenant = tenantContext.requireTenant('payments billing mail')
  return { tenant, locale: i18nManager.getSupportedLocaleFor(tenant.locale ?? 'en') ?? 'en' }
}

export function authenticatePath(token: string) {
  return `/p/payments/authenticate/${token}`
}

async function mailAuthenticationLink(row: OffsessionCharge) {
  const to = await clientEmail(row.tenantId, row.clientId)
  const invoice = await invoiceSummary(row.tenantId, row.invoiceId)
  if (!to || !invoice || !row.actionToken) return
  const { tenant, locale } = await localeOf()
  const i18n = i18nManager.locale(locale)
  const params = { amount: formatMoney(invoice.balanceDue, invoice.currency, locale), number: invoice.number ?? String(invoice.id), tenant: tenant.name }
  await queueMail({
    to,
    locale,
    subject: i18n.t('payments_billing.mail.authenticate_subject', params),
    template: 'emails/notification',
    data: {
      heading: i18n.t('payments_billing.mail.authenticate_heading', params),
      intro: i18n.t('payments_billing.mail.authenticate_body', params),
      actionUrl: await tenantUrl(tenant, authenticatePath(row.actionToken)),
      actionLabel: i18n.t('payments_billing.mail.authenticate_action', params),
      footnote: null,
    },
  })
}

async function tellTenant(row: OffsessionCharge) {
  const invoice = await invoiceSummary(row.tenantId, row.invoiceId)
  const users = await usersWithPermission(row.tenantId, 'payments.payments.view')
  await notify(
    {
      event: 'payments.charge_exhausted',
      title: 'payments_billing.notices.charge_exhausted_title',
      body: 'payments_billing.notices.charge_exhausted_body',
      params: { number: invoice?.number ?? String(row.invoiceId), attempts: row.attempts, reason: row.failureMessage ?? row.failureCode ?? '' },
      url: invoice?.publicPath ? `/app/invoicing/invoices/${row.invoiceId}` : '/app/payments/subscriptions',
    },
    { tenantId: row.tenantId, users }
  )
}
