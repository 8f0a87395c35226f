import { test } from '@japa/runner'
import {
  MoneyError,
  exponent,
  formatAmount,
  formatRate,
  parseAmount,
  parseQuantity,
  parseRate,
  roundDiv,
  roundHalfAwayFromZero,
  toDecimal,
} from '../../services/money.js'

test.group('Invoicing money', () => {
  test('ISO 4217 exponents 0, 2 and 3', ({ assert }) => {
    assert.equal(exponent('JPY'), 0)
    assert.equal(exponent('KRW'), 0)
    assert.equal(exponent('EUR'), 2)
    assert.equal(exponent('usd'), 2)
    for (const code of ['BHD', 'KWD', 'OMR', 'JOD', 'TND']) assert.equal(exponent(code), 3)
    assert.throws(() => exponent('EUX'), /Unknown currency/)
  })

  test('parseAmount turns decimal strings into minor units without floats', ({ assert }) => {
    assert.equal(parseAmount('12.50', 'EUR'), 1250)
    assert.equal(parseAmount('12,5', 'EUR'), 1250)
    assert.equal(parseAmount('1,234.56', 'USD'), 123456)
    assert.equal(parseAmount('0.1', 'EUR') + parseAmount('0.2', 'EUR'), parseAmount('0.3', 'EUR'))
    assert.equal(parseAmount('-3', 'EUR'), -300)
    assert.equal(parseAmount('1500', 'JPY'), 1500)
    assert.equal(parseAmount('1.234', 'KWD'), 1234)
    assert.equal(parseAmount('12.500', 'EUR'), 1250)
    assert.equal(parseAmount(19.99, 'EUR'), 1999)
  })

  test('parseAmount rejects too many decimals and garbage', ({ assert }) => {
    const code = (fn: () => unknown) => {
      try {
        fn()
      } catch (error) {
        assert.instanceOf(error, MoneyError)
        return (error as MoneyError).code
      }
      return null
    }
    assert.equal(code(() => parseAmount('12.505', 'EUR')), 'decimals')
    assert.equal(code(() => parseAmount('1.5', 'JPY')), 'decimals')
    assert.equal(code(() => parseAmount('1.2345', 'BHD')), 'decimals')
    assert.equal(code(() => parseAmount('12a', 'EUR')), 'format')
    assert.equal(code(() => parseAmount('', 'EUR')), 'format')
    assert.equal(code(() => parseAmount('1e5', 'EUR')), 'format')
    assert.equal(code(() => parseAmount('99999999999999999', 'EUR')), 'range')
  })

  test('toDecimal and formatAmount per exponent and locale', ({ assert }) => {
    assert.equal(toDecimal(1250, 'EUR'), '12.50')
    assert.equal(toDecimal(-5, 'EUR'), '-0.05')
    assert.equal(toDecimal(1500, 'JPY'), '1500')
    assert.equal(toDecimal(1234, 'KWD'), '1.234')
    assert.equal(formatAmount(1250, 'EUR', 'en'), '€12.50')
    assert.equal(formatAmount(123456, 'EUR', 'de').replace(/\u00a0/g, ' '), '1.234,56 €')
    assert.equal(formatAmount(1500, 'JPY', 'en'), '¥1,500')
    assert.equal(formatAmount(1234, 'KWD', 'en').replace(/\u00a0/g, ' '), 'KWD 1.234')
    assert.equal(formatAmount(9007199254740991n, 'EUR', 'en'), '€90,071,992,547,409.91')
  })

  test('round half away from zero, exactly, for both signs', ({ assert }) => {
    assert.equal(roundHalfAwayFromZero(5n, 2n), 3n)
    assert.equal(roundHalfAwayFromZero(-5n, 2n), -3n)
    assert.equal(roundHalfAwayFromZero(4n, 3n), 1n)
    assert.equal(roundHalfAwayFromZero(-4n, 3n), -1n)
    assert.equal(roundHalfAwayFromZero(5n, -2n), -3n)
    assert.equal(roundHalfAwayFromZero(0n, 7n), 0n)
    assert.equal(roundDiv(249, 100), 2)
    assert.equal(roundDiv(250, 100), 3)
    assert.equal(roundDiv(-250, 100), -3)
    /* 1.5 × 333 = 499.5 cents → 500; ten-thousandths quantities × price / 10000 */
    assert.equal(roundDiv(15000 * 333, 10000), 500)
    assert.throws(() => roundHalfAwayFromZero(1n, 0n))
    const big = 10n ** 30n + 5n
    assert.equal(roundHalfAwayFromZero(big, 10n), 10n ** 29n + 1n)
  })

  test('round half away from zero agrees with a reference on random integers', ({ assert }) => {
    for (let i = 0; i < 2000; i++) {
      const n = Math.floor(Math.random() * 2_000_000) - 1_000_000
      const d = Math.floor(Math.random() * 999) + 1
      const expected = Math.sign(n) * Math.floor(Math.abs(n) / d + 0.5)
      /* the float reference is exact for these magnitudes except at exact halves, checked apart */
      if ((Math.abs(n) * 2) % d === 0 && (Math.abs(n) * 2) / d % 2 === 1) {
        assert.equal(roundDiv(n, d), Math.sign(n) * (Math.abs(n) * 2 / d + 1) / 2)
      } else {
        assert.equal(roundDiv(n, d) + 0, expected + 0)
      }
    }
  })

  test('quantities and rates', ({ assert }) => {
    assert.equal(parseQuantity('1.5'), 15000)
    assert.equal(parseQuantity('0,25'), 2500)
    assert.equal(parseQuantity('3'), 30000)
    assert.throws(() => parseQuantity('1.00001'))
    assert.equal(parseRate('19'), 19000)
    assert.equal(parseRate('7.7'), 7700)
    assert.equal(parseRate('7,7'), 7700)
    assert.equal(formatRate(19000), '19')
    assert.equal(formatRate(7700), '7.7')
    assert.equal(formatRate(0), '0')
    assert.throws(() => parseRate('101'))
    assert.throws(() => parseRate('7.7777'))
  })
})
