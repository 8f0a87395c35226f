import { test } from '@japa/runner'
import { monthlyAmount, mulDivRound, periodAround, prorate, recurringScheduleOf } from '#plugins/payments/services/billing_math'

test.group('Payments billing math', () => {
  test('periods count from the anchor, so month ends do not drift', ({ assert }) => {
    const monthly = { interval: 'month' as const, intervalCount: 1 }
    assert.deepEqual(periodAround('2026-01-31', monthly, '2026-03-05'), { start: '2026-02-28', end: '2026-03-31' })
    assert.deepEqual(periodAround('2026-01-31', monthly, '2026-03-31'), { start: '2026-03-31', end: '2026-04-30' })
    assert.deepEqual(periodAround('2026-01-01', { interval: 'week', intervalCount: 2 }, '2026-01-20'), { start: '2026-01-15', end: '2026-01-29' })
    assert.deepEqual(periodAround('2024-02-29', { interval: 'year', intervalCount: 1 }, '2026-06-01'), { start: '2026-02-28', end: '2027-02-28' })
    assert.deepEqual(periodAround('2026-05-10', monthly, '2026-05-01'), { start: '2026-05-10', end: '2026-06-10' }, 'before the anchor: the first period')
  })

  test('rounding is half away from zero, exact in integers', ({ assert }) => {
    assert.equal(mulDivRound(1, 1, 2), 1)
    assert.equal(mulDivRound(-1, 1, 2), -1)
    assert.equal(mulDivRound(5, 1, 4), 1)
    assert.equal(mulDivRound(7, 1, 4), 2)
    assert.equal(mulDivRound(Number.MAX_SAFE_INTEGER, 3, 3), Number.MAX_SAFE_INTEGER)
    assert.throws(() => mulDivRound(1, 1, 0))
  })

  test('upgrade in EUR (exponent 2): unused old part credited, new part charged, net invoiced', ({ assert }) => {
    const p = prorate({ oldPrice: 3000, newPrice: 6000, periodStart: '2026-03-01', periodEnd: '2026-04-01', changeOn: '2026-03-17' })
    assert.equal(p.periodDays, 31)
    assert.equal(p.remainingDays, 15)
    assert.equal(p.credit, 1452, '3000 × 15 / 31 = 1451.6')
    assert.equal(p.charge, 2903, '6000 × 15 / 31 = 2903.2')
    assert.equal(p.net, 1451)
  })

  test('upgrade in JPY (exponent 0) rounds to whole yen', ({ assert }) => {
    const p = prorate({ oldPrice: 1000, newPrice: 3000, periodStart: '2026-04-01', periodEnd: '2026-05-01', changeOn: '2026-04-21' })
    assert.deepInclude(p, { periodDays: 30, remainingDays: 10, credit: 333, charge: 1000, net: 667 })
  })

  test('downgrade in KWD (exponent 3) gives a negative net (a credit note)', ({ assert }) => {
    const p = prorate({ oldPrice: 10_000, newPrice: 4_500, periodStart: '2026-02-01', periodEnd: '2026-03-01', changeOn: '2026-02-15' })
    assert.deepInclude(p, { periodDays: 28, remainingDays: 14, credit: 5000, charge: 2250, net: -2750 })
  })

  test('a change on the first day swaps whole periods; on the last day almost nothing', ({ assert }) => {
    assert.deepInclude(prorate({ oldPrice: 1000, newPrice: 2500, periodStart: '2026-06-01', periodEnd: '2026-07-01', changeOn: '2026-06-01' }), { credit: 1000, charge: 2500, net: 1500 })
    assert.deepInclude(prorate({ oldPrice: 1000, newPrice: 2500, periodStart: '2026-06-01', periodEnd: '2026-07-01', changeOn: '2026-06-30' }), { remainingDays: 1, credit: 33, charge: 83, net: 50 })
  })

  test('MRR normalises every interval to a month', ({ assert }) => {
    assert.equal(monthlyAmount(12_000, { interval: 'year', intervalCount: 1 }), 1000)
    assert.equal(monthlyAmount(3000, { interval: 'month', intervalCount: 3 }), 1000)
    assert.equal(monthlyAmount(4900, { interval: 'month', intervalCount: 1 }), 4900)
    assert.equal(monthlyAmount(1000, { interval: 'week', intervalCount: 1 }), 4333, '1000 × 52 / 12')
    assert.equal(monthlyAmount(1000, { interval: 'week', intervalCount: 2 }), 2167, '1000 × 52 / 24')
  })

  test('plan cadences map to recurring schedules invoicing can bill without drift', ({ assert }) => {
    assert.deepEqual(recurringScheduleOf({ interval: 'month', intervalCount: 1 }), { interval: 'monthly', interval_days: null })
    assert.deepEqual(recurringScheduleOf({ interval: 'month', intervalCount: 3 }), { interval: 'quarterly', interval_days: null })
    assert.deepEqual(recurringScheduleOf({ interval: 'month', intervalCount: 12 }), { interval: 'yearly', interval_days: null })
    assert.deepEqual(recurringScheduleOf({ interval: 'week', intervalCount: 2 }), { interval: 'custom', interval_days: 14 })
    assert.isNull(recurringScheduleOf({ interval: 'month', intervalCount: 2 }))
    assert.isNull(recurringScheduleOf({ interval: 'year', intervalCount: 2 }))
  })
})
