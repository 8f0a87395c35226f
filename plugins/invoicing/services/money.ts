/*
| Money: integer minor units plus an ISO 4217 currency code. The exponent (number of minor-unit
| digits) comes from ISO 4217; parsing never goes through floating point, and there is one
| rounding rule for the whole plugin: half away from zero (documented in docs/invoicing.md).
*/

/* ISO 4217 currencies whose exponent is not 2 (everything else active has 2) */
const EXPONENTS: Record<string, number> = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0,
  UYI: 0, VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
  CLF: 4, UYW: 4,
}

/* Active ISO 4217 codes, so a typo like "EUX" is rejected rather than silently given 2 decimals */
const CODES = new Set(
  (
    'AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BOV BRL BSD BTN BWP ' +
    'BYN BZD CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR ' +
    'FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES ' +
    'KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR ' +
    'MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF ' +
    'SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS ' +
    'UAH UGX USD USN UYI UYU UYW UZS VED VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG'
  ).split(' ')
)

export class MoneyError extends Error {
  constructor(
    public code: 'currency' | 'format' | 'decimals' | 'range',
    message: string
  ) {
    super(message)
  }
}

export function isCurrency(code: unknown): code is string {
  return typeof code === 'string' && CODES.has(code)
}

export function currencies(): string[] {
  return [...CODES]
}

export function exponent(currency: string): number {
  const code = currency.toUpperCase()
  if (!CODES.has(code)) throw new MoneyError('currency', `Unknown currency ${currency}`)
  return EXPONENTS[code] ?? 2
}

/**
 * Parses a decimal string ("12.50", "-3", "1,234.5", "1.234,5" is NOT accepted: one decimal
 * separator, the point or a lone comma) into minor units. More decimals than the currency
 * has is an error, never a silent rounding.
 */
export function parseAmount(input: string | number, currency: string): number {
  const exp = exponent(currency)
  let text = typeof input === 'number' ? String(input) : input.trim()
  text = text.replace(/[\s\u00a0']/g, '')
  if (/^-?\d+,\d+$/.test(text)) text = text.replace(',', '.')
  else text = text.replace(/,(?=\d{3}(\D|$))/g, '')
  const match = /^([+-])?(\d+)(?:\.(\d*))?$/.exec(text)
  if (!match) throw new MoneyError('format', `"${input}" is not an amount`)
  const [, sign, whole, fraction = ''] = match
  const trimmed = fraction.replace(/0+$/, '')
  if (trimmed.length > exp) {
    throw new MoneyError('decimals', `${currency} amounts have at most ${exp} decimals`)
  }
  const minor = BigInt(whole + fraction.padEnd(exp, '0').slice(0, exp))
  const value = sign === '-' ? -minor : minor
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < -BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new MoneyError('range', 'Amount is too large')
  }
  return Number(value)
}

/** Minor units as a plain decimal string ("1250" EUR → "12.50"), for inputs and CSV */
export function toDecimal(minor: number | bigint, currency: string): string {
  const exp = exponent(currency)
  const value = BigInt(minor)
  const negative = value < 0n
  const digits = (negative ? -value : value).toString().padStart(exp + 1, '0')
  const whole = exp ? digits.slice(0, -exp) : digits
  const fraction = exp ? digits.slice(-exp) : ''
  return `${negative ? '-' : ''}${whole}${fraction ? '.' + fraction : ''}`
}

/** Localised display ("1250" EUR, de → "12,50 €") */
export function formatAmount(minor: number | bigint, currency: string, locale = 'en'): string {
  const exp = exponent(currency)
  const formatter = new Intl.NumberFormat(locale, {
    style: 'currency',
    currency: currency.toUpperCase(),
    minimumFractionDigits: exp,
    maximumFractionDigits: exp,
  })
  /* Intl accepts a decimal string exactly (no float), so large values keep every digit */
  return formatter.format(toDecimal(minor, currency) as unknown as number)
}

/**
 * numerator / denominator rounded half away from zero, exact on integers of any size.
 * Every rounding in the plugin (line nets, tax, discounts) goes through this one rule.
 */
export function roundHalfAwayFromZero(numerator: bigint, denominator: bigint): bigint {
  if (denominator === 0n) throw new RangeError('Division by zero')
  if (denominator < 0n) {
    numerator = -numerator
    denominator = -denominator
  }
  const negative = numerator < 0n
  const abs = negative ? -numerator : numerator
  const quotient = (abs * 2n + denominator) / (denominator * 2n)
  return negative ? -quotient : quotient
}

/** Number-friendly form of roundHalfAwayFromZero for safe integers */
export function roundDiv(numerator: number | bigint, denominator: number | bigint): number {
  return Number(roundHalfAwayFromZero(BigInt(numerator), BigInt(denominator)))
}

/* Quantities: decimals with up to 4 places, stored as integer ten-thousandths */
export const QUANTITY_SCALE = 10_000

export function parseQuantity(input: string | number): number {
  const text = (typeof input === 'number' ? String(input) : input.trim()).replace(',', '.')
  const match = /^([+-])?(\d+)(?:\.(\d*))?$/.exec(text)
  if (!match) throw new MoneyError('format', `"${input}" is not a quantity`)
  const [, sign, whole, fraction = ''] = match
  if (fraction.replace(/0+$/, '').length > 4) throw new MoneyError('decimals', 'At most 4 decimals')
  const value = Number(whole) * QUANTITY_SCALE + Number(fraction.padEnd(4, '0').slice(0, 4))
  if (!Number.isSafeInteger(value)) throw new MoneyError('range', 'Quantity is too large')
  return sign === '-' ? -value : value
}

/** A tax rate in thousandths of a percent (19% = 19000) as a display string ("19", "7.7") */
export function formatRate(thousandths: number): string {
  const whole = Math.trunc(thousandths / 1000)
  const fraction = String(Math.abs(thousandths % 1000)).padStart(3, '0').replace(/0+$/, '')
  return fraction ? `${whole}.${fraction}` : String(whole)
}

/** "19" / "7.7" / "7,7" → thousandths of a percent; at most 3 decimals, 0..100 */
export function parseRate(input: string | number): number {
  const text = (typeof input === 'number' ? String(input) : input.trim()).replace(',', '.')
  const match = /^(\d{1,3})(?:\.(\d{0,3}))?$/.exec(text)
  if (!match) throw new MoneyError('format', `"${input}" is not a rate`)
  const value = Number(match[1]) * 1000 + Number((match[2] ?? '').padEnd(3, '0'))
  if (value > 100_000) throw new MoneyError('range', 'A rate is at most 100%')
  return value
}

/** Ten-thousandths as a plain decimal without trailing zeros (15000 → "1.5") */
export function formatQuantity(tenThousandths: number): string {
  const negative = tenThousandths < 0
  const abs = Math.abs(tenThousandths)
  const whole = Math.trunc(abs / QUANTITY_SCALE)
  const fraction = String(abs % QUANTITY_SCALE).padStart(4, '0').replace(/0+$/, '')
  return `${negative ? '-' : ''}${whole}${fraction ? '.' + fraction : ''}`
}
