/*
| Subscription arithmetic, pure and in integer minor units (so it is the same for every currency
| exponent: JPY 0, EUR 2, KWD 3 all count in their smallest unit).
|
| Proration rule (documented for staff and the API): on a plan change the current period is split
| at the change day. The unused days of the old plan are credited and the remaining days of the new
| plan are charged, each as `price × remaining_days / period_days` rounded half away from zero to
| the currency's minor unit. Both parts land on ONE document: an invoice for the difference when
| it is positive, a credit note for it when negative, nothing when zero. The next period bills the
| new plan in full.
|
| MRR normalises every interval to a month: month → price / count; year → price / (12 × count);
| week → price × 52 / (12 × count). It is summed per plan and per currency, never across currencies.
*/
import { DateTime } from 'luxon'
import type { PlanInterval } from '../models/plan.js'

export interface Cadence {
  interval: PlanInterval
  intervalCount: number
}

/** The invoicing recurring-profile schedule that bills a plan's cadence */
export function recurringScheduleOf({ interval, intervalCount }: Cadence) {
  if (interval === 'week') {
    return intervalCount === 1 ? { interval: 'weekly' as const, interval_days: null } : { interval: 'custom' as const, interval_days: 7 * intervalCount }
  }
  if (interval === 'month' && intervalCount === 1) return { interval: 'monthly' as const, interval_days: null }
  if (interval === 'month' && intervalCount === 3) return { interval: 'quarterly' as const, interval_days: null }
  if ((interval === 'month' && intervalCount === 12) || (interval === 'year' && intervalCount === 1)) return { interval: 'yearly' as const, interval_days: null }
  return null
}

/** Plans whose cadence invoicing's recurring profiles can bill without drifting */
export function isBillableCadence(cadence: Cadence) {
  return recurringScheduleOf(cadence) !== null
}

function step({ interval, intervalCount }: Cadence, n: number) {
  return interval === 'week' ? { weeks: intervalCount * n } : interval === 'month' ? { months: intervalCount * n } : { years: intervalCount * n }
}

/** Start (inclusive) and end (exclusive) of the period containing `on`, counted from the anchor */
export function periodAround(anchorOn: string, cadence: Cadence, on: string) {
  const anchor = DateTime.fromISO(anchorOn, { zone: 'utc' })
  const day = DateTime.fromISO(on, { zone: 'utc' })
  if (day < anchor) return { start: anchorOn, end: anchor.plus(step(cadence, 1)).toISODate()! }
  /* estimate, then walk: month lengths vary, so the estimate can be off by one either way */
  const approxDays = cadence.interval === 'week' ? 7 : cadence.interval === 'month' ? 30.44 : 365.25
  let n = Math.max(0, Math.floor(day.diff(anchor, 'days').days / (approxDays * cadence.intervalCount)) - 1)
  while (anchor.plus(step(cadence, n + 1)) <= day) n++
  while (n > 0 && anchor.plus(step(cadence, n)) > day) n--
  return { start: anchor.plus(step(cadence, n)).toISODate()!, end: anchor.plus(step(cadence, n + 1)).toISODate()! }
}

export function daysBetween(from: string, to: string) {
  return Math.round(DateTime.fromISO(to, { zone: 'utc' }).diff(DateTime.fromISO(from, { zone: 'utc' }), 'days').days)
}

/** a × b / c rounded half away from zero, exact in integers */
export function mulDivRound(a: number, b: number, c: number) {
  if (c <= 0) throw new RangeError('division by a non-positive period')
  const num = BigInt(a) * BigInt(b)
  const den = BigInt(c)
  const negative = num < 0n
  const abs = negative ? -num : num
  const q = (abs * 2n + den) / (den * 2n)
  return Number(negative ? -q : q)
}

export interface Proration {
  periodStart: string
  periodEnd: string
  periodDays: number
  remainingDays: number
  /** minor units credited for the unused part of the old plan */
  credit: number
  /** minor units charged for the rest of the period on the new plan */
  charge: number
  /** charge − credit: > 0 invoice, < 0 credit note */
  net: number
}

export function prorate(input: { oldPrice: number; newPrice: number; periodStart: string; periodEnd: string; changeOn: string }): Proration {
  const periodDays = daysBetween(input.periodStart, input.periodEnd)
  const remainingDays = Math.min(periodDays, Math.max(0, daysBetween(input.changeOn, input.periodEnd)))
  const credit = mulDivRound(input.oldPrice, remainingDays, periodDays)
  const charge = mulDivRound(input.newPrice, remainingDays, periodDays)
  return { periodStart: input.periodStart, periodEnd: input.periodEnd, periodDays, remainingDays, credit, charge, net: charge - credit }
}

/** A plan's price per month in minor units (rounded half away from zero) */
export function monthlyAmount(price: number, { interval, intervalCount }: Cadence) {
  if (interval === 'month') return mulDivRound(price, 1, intervalCount)
  if (interval === 'year') return mulDivRound(price, 1, 12 * intervalCount)
  return mulDivRound(price, 52, 12 * intervalCount)
}
