/* Expiring saved cards: the client is mailed once, from the first day of the month before the card's expiry month */
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import i18nManager from '@adonisjs/i18n/services/main'
import { clientEmail } from '#plugins/invoicing/public'
import { queueMail } from '#services/mail_dispatcher'
import { tenantUrl } from '#services/mail_service'
import { tenantContext } from '#tenancy/tenant_context'
import SavedMethod from '../models/saved_method.js'
import { customerRow } from './billing_customers.js'

/** A card is valid through the last day of its expiry month */
export function lastValidDay(expMonth: number, expYear: number) {
  return DateTime.utc(expYear, expMonth, 1).endOf('month')
}

export async function announceExpiringCards(at: DateTime = DateTime.utc()) {
  const tenant = tenantContext.requireTenant('expiring cards')
  const horizon = at.plus({ months: 1 })
  const candidates = await SavedMethod.forTenant(tenant.id)
    .whereNull('detached_at')
    .whereNull('expiry_notified_at')
    .whereNotNull('exp_year')
    .where((q) => q.where('exp_year', '<', horizon.year).orWhere((r) => r.where('exp_year', horizon.year).where('exp_month', '<=', horizon.month)))
  const announced: number[] = []
  for (const card of candidates) {
    const last = lastValidDay(card.expMonth!, card.expYear!)
    if (last < at) continue
    /* claim first: two workers never mail the same card twice */
    const claimed = await db.from('payments_saved_methods').where({ id: card.id, tenant_id: tenant.id }).whereNull('expiry_notified_at').update({ expiry_notified_at: at.toUTC().toSQL({ includeOffset: false }) })
    if (Number(Array.isArray(claimed) ? claimed[0] : claimed) !== 1) continue
    const to = await clientEmail(tenant.id, card.clientId)
    if (!to) continue
    const locale = i18nManager.getSupportedLocaleFor(tenant.locale ?? 'en') ?? 'en'
    const i18n = i18nManager.locale(locale)
    const params = { brand: card.brand ?? '', last4: card.last4 ?? '', expiry: `${String(card.expMonth).padStart(2, '0')}/${card.expYear}`, tenant: tenant.name }
    const customer = await customerRow(tenant.id, card.clientId)
    await queueMail({
      to,
      locale,
      subject: i18n.t('payments_billing.mail.expiring_subject', params),
      template: 'emails/notification',
      data: {
        heading: i18n.t('payments_billing.mail.expiring_heading', params),
        intro: i18n.t('payments_billing.mail.expiring_body', params),
        actionUrl: await tenantUrl(tenant, `/p/payments/cards/${customer.setupToken}`),
        actionLabel: i18n.t('payments_billing.mail.expiring_action', params),
        footnote: null,
      },
    })
    announced.push(card.id)
  }
  return announced
}
