import type { HttpContext } from '@adonisjs/core/http'
import {
  COUNTRY_CODES,
  CURRENCY_CODES,
  LOCALES,
  TIME_ZONES,
  updateGeneralSettingsValidator,
} from '#validators/tenant_settings'
import { generalSettingsOf, updateGeneralSettings, type GeneralSettingsInput } from '#services/settings_service'
import { formValues, validateForm } from '#controllers/settings/form_support'

const BACK = '/app/settings'

const LABELS: Record<string, string> = {
  name: 'settings.general_name',
  legalName: 'settings.general_legal_name',
  addressLine1: 'settings.general_address_line1',
  addressLine2: 'settings.general_address_line2',
  postalCode: 'settings.general_postal_code',
  city: 'settings.general_city',
  country: 'settings.general_country',
  taxId: 'settings.general_tax_id',
  vatId: 'settings.general_vat_id',
  email: 'settings.general_email',
  phone: 'settings.general_phone',
  locale: 'settings.general_locale',
  timezone: 'settings.general_timezone',
  currency: 'settings.general_currency',
}

/**
 * Select options with names in the viewer's language. A stored zone missing from the list (set
 * another way) is offered too, so saving the form never changes it silently.
 */
function options(locale: string, t: (key: string) => string, current: { timezone: string }) {
  const regions = new Intl.DisplayNames([locale], { type: 'region' })
  const currencies = new Intl.DisplayNames([locale], { type: 'currency' })
  const byLabel = (a: { label: string }, b: { label: string }) => a.label.localeCompare(b.label, locale)
  return {
    countries: [
      { value: '', label: t('settings.general_country_none') },
      ...COUNTRY_CODES.map((code) => ({ value: code, label: regions.of(code) ?? code })).sort(byLabel),
    ],
    currencies: CURRENCY_CODES.map((code) => ({ value: code, label: `${code} · ${currencies.of(code) ?? code}` })),
    timezones: (TIME_ZONES.includes(current.timezone) ? TIME_ZONES : [current.timezone, ...TIME_ZONES]).map(
      (zone) => ({ value: zone, label: zone.replace(/_/g, ' ') })
    ),
    locales: LOCALES.map((code) => ({ value: code, label: t(`settings.locale_${code}`) })),
  }
}

/** Tenant name, business profile, language, time zone and currency */
export default class GeneralSettingsController {
  async edit(ctx: HttpContext) {
    return ctx.view.render('pages/settings/general', {
      values: formValues(ctx, generalSettingsOf(ctx.tenant!)),
      labels: LABELS,
      options: options(ctx.i18n.locale, (key) => ctx.i18n.t(key), ctx.tenant!),
      canManage: ctx.permissions.has('kernel.settings.manage'),
    })
  }

  async update(ctx: HttpContext) {
    const input = await validateForm<GeneralSettingsInput>(ctx, updateGeneralSettingsValidator, {
      back: BACK,
      labels: LABELS,
    })
    if (!input) return
    await updateGeneralSettings(ctx.tenant!, input)
    ctx.session.flash('success', ctx.i18n.t('forms.saved'))
    return ctx.response.redirect(BACK)
  }
}
