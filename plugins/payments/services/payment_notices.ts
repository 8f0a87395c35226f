/* Receipts to the client and notices to staff about gateway payments (mail and notifications are the kernel's) */
import i18nManager from '@adonisjs/i18n/services/main'
import { clientEmail, invoiceSummary } from '#plugins/invoicing/public'
import { queueMail } from '#services/mail_dispatcher'
import { notify, usersWithPermission } from '#services/notification_service'
import { tenantContext } from '#tenancy/tenant_context'
import type GatewayPayment from '../models/gateway_payment.js'

export type StaffNotice = 'payment_received' | 'payment_failed' | 'dispute_opened' | 'dispute_closed'

export function formatMoney(amount: number, currency: string, locale = 'en') {
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(amount / 100)
}

export async function sendReceipt(tenantId: number, payment: GatewayPayment) {
  if (!payment.invoiceId) return
  const invoice = await invoiceSummary(tenantId, payment.invoiceId)
  const to = invoice ? await clientEmail(tenantId, invoice.clientId) : null
  if (!invoice || !to) return
  const tenant = tenantContext.requireTenant('payments receipt')
  const locale = i18nManager.getSupportedLocaleFor(tenant.locale ?? 'en') ?? 'en'
  const i18n = i18nManager.locale(locale)
  const params = { amount: formatMoney(payment.amount, payment.currency, locale), number: invoice.number ?? String(invoice.id), tenant: tenant.name }
  await queueMail({
    to,
    locale,
    subject: i18n.t('payments.receipt.subject', params),
    template: 'emails/notification',
    data: {
      heading: i18n.t('payments.receipt.heading', params),
      intro: i18n.t('payments.receipt.body', { ...params, reference: payment.reference }),
      actionUrl: null,
      actionLabel: null,
      footnote: i18n.t('payments.receipt.footnote', params),
    },
  })
}

export async function notifyStaff(tenantId: number, payment: GatewayPayment, notice: StaffNotice) {
  const users = await usersWithPermission(tenantId, 'payments.payments.view')
  await notify(
    {
      event: `payments.${notice}`,
      title: `payments.notices.${notice}_title`,
      body: `payments.notices.${notice}_body`,
      params: { amount: formatMoney(payment.amount, payment.currency), reference: payment.reference },
      url: '/app/payments/payments',
    },
    { tenantId, users }
  )
}
