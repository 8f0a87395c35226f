/*
| The password policy service: the breached list (size, look-up speed, case), the length window,
| zxcvbn scoring with the user's own words, and the device labels of tracked sessions.
*/
import { test } from '@japa/runner'
import { breachedPasswords, checkPassword, DEFAULT_MIN_LENGTH, MAX_LENGTH } from '#services/password_policy'
import { describeDevice } from '#services/session_tracking'

test.group('Password policy', () => {
  test('the breached list is shipped offline with at least 100,000 entries and answers in microseconds', ({ assert }) => {
    assert.isAtLeast(breachedPasswords.size, 100_000)
    const started = performance.now()
    for (let i = 0; i < 10_000; i++) breachedPasswords.has(`not-a-leaked-password-${i}`)
    const perLookupMs = (performance.now() - started) / 10_000
    assert.isBelow(perLookupMs, 0.05)
  })

  test('known leaked passwords are found whatever their case; others are not', ({ assert }) => {
    for (const leaked of ['123456', 'password', 'qwertyqwerty', 'QwertyQwerty', '1qaz2wsx3edc', 'iloveyou']) {
      assert.isTrue(breachedPasswords.has(leaked), leaked)
    }
    assert.isFalse(breachedPasswords.has('plum orbit canyon whistle'))
    assert.isFalse(breachedPasswords.has(''))
  })

  test('length: the default minimum is 12, a tenant may raise it, up to 256 characters are accepted', ({ assert }) => {
    assert.equal(DEFAULT_MIN_LENGTH, 12)
    assert.deepEqual(checkPassword('plum orbit'), { code: 'too_short', min: 12 })
    assert.deepEqual(checkPassword('plum orbit canyon', { minLength: 20 }), { code: 'too_short', min: 20 })
    /* NIST: at least 64 characters must be allowed */
    const long = 'plum orbit canyon whistle lantern mosaic thimble quartz harbour fig'
    assert.isAtLeast(long.length, 64)
    assert.isNull(checkPassword(long))
    assert.isNull(checkPassword(`${long} `.repeat(3).slice(0, MAX_LENGTH)))
    assert.deepEqual(checkPassword('x'.repeat(MAX_LENGTH + 1)), { code: 'too_long', max: 256 })
    /* characters, not UTF-16 units: twelve emoji are twelve characters */
    assert.notEqual(checkPassword('🦊🌲🪵🍄🌙⭐🐚🌊🪨🌵🦉🐝')?.code, 'too_short')
  })

  test('no composition rules: a long passphrase of lower-case words passes, a complex-looking pattern does not', ({ assert }) => {
    assert.isNull(checkPassword('plum orbit canyon whistle'))
    assert.equal(checkPassword('Pa$$w0rdPa$$w0rd')?.code, 'weak')
    assert.equal(checkPassword('mmmmmmmmmmmmmmmm')?.code, 'weak')
    assert.equal(checkPassword('asdfghjklasdfghjkl')?.code, 'weak')
    assert.equal(checkPassword('qwertyqwerty')?.code, 'breached')
  })

  test("the user's own name, address and workspace count as known words", ({ assert }) => {
    const userInputs = ['Jane Doe', 'jane.doe@example.com', 'Acme Widgets']
    assert.equal(checkPassword('jane doe jane doe', { userInputs })?.code, 'weak')
    assert.equal(checkPassword('jane.doe@example.com', { userInputs })?.code, 'weak')
    assert.equal(checkPassword('acmewidgets2026!', { userInputs })?.code, 'weak')
    assert.isNull(checkPassword('jane doe plum orbit canyon', { userInputs }))
  })
})

test.group('Session device labels', () => {
  test('browser and system from common user agents', ({ assert }) => {
    const cases: Array<[string, string]> = [
      ['Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0', 'Firefox · Windows'],
      ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15', 'Safari · macOS'],
      ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0', 'Edge · Windows'],
      ['Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36', 'Chrome · Android'],
      ['Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0 Mobile/15E148 Safari/604.1', 'Chrome · iPhone'],
      ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 OPR/115.0.0.0', 'Opera · Linux'],
      ['curl/8.5.0', 'curl'],
    ]
    for (const [agent, label] of cases) assert.equal(describeDevice(agent), label, agent)
    assert.equal(describeDevice(null), '')
    assert.equal(describeDevice('SomethingElse/1.0'), '')
  })
})
