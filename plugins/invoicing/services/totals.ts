/*
| Document totals under the plugin's ONE rounding rule (docs/invoicing.md), half away from zero:
|   line amount = round(quantity × unit price − line discount), per line;
|   document discount: percent of the subtotal rounded once, or an amount, then spread over the
|     tax groups in proportion to their line sums with the largest-remainder method (the parts
|     always add up to the discount);
|   tax per group (rate + category + exemption reason) over the group's discounted sum, rounded once:
|     exclusive prices: tax = round(base × r), net = base;
|     inclusive prices: tax = round(base × r / (1 + r)), net = base − tax;
|   total = Σ group nets + Σ group taxes.
| Everything is integer arithmetic on BigInt, so no float ever touches an amount.
*/
import { QUANTITY_SCALE, roundHalfAwayFromZero } from './money.js'

/** thousandths of a percent per 100 %: rates and percent discounts are stored in these units */
export const PERCENT_SCALE = 100_000

export type DiscountKind = 'percent' | 'amount'

export interface TotalsLine {
  /** ten-thousandths (1.5 → 15000) */
  quantity: number
  /** minor units (gross when prices include tax) */
  unitPrice: number
  discountType?: DiscountKind | null
  /** thousandths of a percent for 'percent', minor units for 'amount' */
  discountValue?: number
  /** thousandths of a percent (19 % = 19000) */
  taxRate: number
  /** UNCL5305 code */
  taxCategory: string
  taxExemptionReason?: string | null
}

export interface TotalsInput {
  pricesIncludeTax: boolean
  lines: TotalsLine[]
  discountType?: DiscountKind | null
  discountValue?: number
}

export interface TaxGroup {
  rate: number
  category: string
  exemptionReason: string | null
  /** Σ line amounts of the group before the document discount */
  lines: number
  /** the group's share of the document discount */
  discount: number
  net: number
  tax: number
}

export interface Totals {
  /** per input line, in order: the line amount after its discount */
  lineAmounts: number[]
  /** Σ line amounts */
  subtotal: number
  discountTotal: number
  netTotal: number
  taxTotal: number
  total: number
  taxGroups: TaxGroup[]
}

const B = (n: number | undefined | null) => BigInt(n ?? 0)
const SCALE = BigInt(QUANTITY_SCALE)
const PCT = BigInt(PERCENT_SCALE)

/** The line amount: quantity × unit price less the line discount, rounded once */
export function lineAmount(line: Pick<TotalsLine, 'quantity' | 'unitPrice' | 'discountType' | 'discountValue'>): number {
  const gross = B(line.quantity) * B(line.unitPrice)
  if (line.discountType === 'percent') {
    return Number(roundHalfAwayFromZero(gross * (PCT - B(line.discountValue)), SCALE * PCT))
  }
  if (line.discountType === 'amount') {
    return Number(roundHalfAwayFromZero(gross - B(line.discountValue) * SCALE, SCALE))
  }
  return Number(roundHalfAwayFromZero(gross, SCALE))
}

/** Floor division for signed BigInts (BigInt division truncates toward zero) */
function floorDiv(a: bigint, b: bigint) {
  const q = a / b
  return (a % b !== 0n && (a < 0n) !== (b < 0n)) ? q - 1n : q
}

/**
 * Splits `amount` over `weights` in proportion, largest remainder first: every part is the floor
 * of its exact share, and the units left over go to the largest fractional remainders (ties: the
 * earlier weight). The parts always sum to `amount`.
 */
export function allocate(amount: number, weights: number[]): number[] {
  const total = weights.reduce((s, w) => s + BigInt(w), 0n)
  if (weights.length === 0) return []
  if (total === 0n) return weights.map((_, i) => (i === 0 ? amount : 0))
  const a = BigInt(amount)
  const sign = total < 0n ? -1n : 1n
  const denominator = total * sign
  const parts = weights.map((w, index) => {
    const numerator = a * BigInt(w) * sign
    const floor = floorDiv(numerator, denominator)
    return { index, floor, remainder: numerator - floor * denominator }
  })
  let left = a - parts.reduce((s, p) => s + p.floor, 0n)
  const order = [...parts].sort((x, y) => (y.remainder > x.remainder ? 1 : y.remainder < x.remainder ? -1 : x.index - y.index))
  const result = parts.map((p) => p.floor)
  for (const p of order) {
    if (left <= 0n) break
    result[p.index] += 1n
    left -= 1n
  }
  return result.map(Number)
}

/** The document discount in minor units for a subtotal: never more than the subtotal, never negative */
export function documentDiscount(subtotal: number, type: DiscountKind | null | undefined, value: number | undefined) {
  if (!type || !value || subtotal <= 0) return 0
  const raw = type === 'percent' ? Number(roundHalfAwayFromZero(B(subtotal) * B(value), PCT)) : value
  return Math.max(0, Math.min(raw, subtotal))
}

function groupKey(line: TotalsLine) {
  return `${line.taxCategory}|${line.taxRate}|${line.taxExemptionReason ?? ''}`
}

export function computeTotals(input: TotalsInput): Totals {
  const lineAmounts = input.lines.map(lineAmount)
  const subtotal = lineAmounts.reduce((s, v) => s + v, 0)

  const groups = new Map<string, TaxGroup>()
  input.lines.forEach((line, i) => {
    const key = groupKey(line)
    let group = groups.get(key)
    if (!group) {
      group = {
        rate: line.taxRate,
        category: line.taxCategory,
        exemptionReason: line.taxExemptionReason ?? null,
        lines: 0,
        discount: 0,
        net: 0,
        tax: 0,
      }
      groups.set(key, group)
    }
    group.lines += lineAmounts[i]
  })
  const taxGroups = [...groups.values()].sort((a, b) => b.rate - a.rate || a.category.localeCompare(b.category))

  const discountTotal = documentDiscount(subtotal, input.discountType, input.discountValue)
  const shares = allocate(discountTotal, taxGroups.map((g) => g.lines))
  taxGroups.forEach((group, i) => {
    group.discount = shares[i]
    const base = B(group.lines - group.discount)
    const rate = B(group.rate)
    if (input.pricesIncludeTax) {
      group.tax = Number(roundHalfAwayFromZero(base * rate, PCT + rate))
      group.net = Number(base) - group.tax
    } else {
      group.tax = Number(roundHalfAwayFromZero(base * rate, PCT))
      group.net = Number(base)
    }
  })

  const netTotal = taxGroups.reduce((s, g) => s + g.net, 0)
  const taxTotal = taxGroups.reduce((s, g) => s + g.tax, 0)
  return { lineAmounts, subtotal, discountTotal, netTotal, taxTotal, total: netTotal + taxTotal, taxGroups }
}
