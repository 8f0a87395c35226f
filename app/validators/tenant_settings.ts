/*
| The tenant's general settings (name, business profile, locale, time zone, currency) and the
| code lists they are checked against.
*/
import vine from '@vinejs/vine'

export const LOCALES = ['en', 'de'] as const

/** ISO 3166-1 alpha-2, officially assigned codes */
export const COUNTRY_CODES = (
  'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS ' +
  'BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE ' +
  'EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM ' +
  'HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC ' +
  'LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA ' +
  'NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW ' +
  'SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO ' +
  'TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW'
).split(' ')

/** ISO 4217 codes as the runtime's ICU data knows them (the same data formats the amounts) */
export const CURRENCY_CODES = Intl.supportedValuesOf('currency')

/* ICU lists canonical zone names only; "UTC" is added because it is every new tenant's default */
export const TIME_ZONES = ['UTC', ...Intl.supportedValuesOf('timeZone')]
const TIME_ZONE_SET = new Set(TIME_ZONES)

/**
 * The listed name of a time zone, also for IANA aliases ICU lists under another name
 * (Asia/Kolkata → Asia/Calcutta), so the stored value is always one the form can show.
 */
export function canonicalTimeZone(value: string): string | null {
  if (TIME_ZONE_SET.has(value)) return value
  try {
    const resolved = new Intl.DateTimeFormat('en', { timeZone: value }).resolvedOptions().timeZone
    return TIME_ZONE_SET.has(resolved) ? resolved : null
  } catch {
    return null
  }
}

const timeZoneRule = vine.createRule((value, _options, field) => {
  if (typeof value !== 'string') return
  const zone = canonicalTimeZone(value)
  if (!zone) return field.report('The {{ field }} field must be a known time zone', 'timeZone', field)
  field.mutate(zone, field)
})

const text = (max: number) => vine.string().trim().maxLength(max).optional()

export const updateGeneralSettingsValidator = vine.create(
  vine.object({
    name: vine.string().trim().minLength(1).maxLength(200),
    legalName: text(200),
    addressLine1: text(200),
    addressLine2: text(200),
    postalCode: text(20),
    city: text(100),
    country: vine.string().trim().toUpperCase().in(COUNTRY_CODES).optional(),
    taxId: text(40),
    vatId: vine
      .string()
      .trim()
      .toUpperCase()
      .maxLength(20)
      .regex(/^[A-Z]{2}[0-9A-Z+*. -]{2,16}$/)
      .optional(),
    email: vine.string().trim().toLowerCase().email().maxLength(254).optional(),
    phone: vine
      .string()
      .trim()
      .maxLength(40)
      .regex(/^\+?[0-9 ()./-]{3,40}$/)
      .optional(),
    locale: vine.enum(LOCALES),
    timezone: vine.string().trim().use(timeZoneRule()),
    currency: vine.string().trim().toUpperCase().in(CURRENCY_CODES),
  })
)
