import { test } from '@japa/runner'
import { matchTotp, totpCode, type TotpAlgorithm } from '#services/two_factor_service'

/*
| RFC 6238 Appendix B: 8-digit codes, 30 s steps, T0 = 0. The seeds are the ASCII digits
| "1234567890" repeated to the hash's key size: 20 bytes (SHA-1), 32 (SHA-256), 64 (SHA-512).
*/
const SEEDS: Record<TotpAlgorithm, Uint8Array> = {
  SHA1: Buffer.from('12345678901234567890', 'ascii'),
  SHA256: Buffer.from('12345678901234567890123456789012', 'ascii'),
  SHA512: Buffer.from('1234567890123456789012345678901234567890123456789012345678901234', 'ascii'),
}

const VECTORS: Array<[number, string, TotpAlgorithm]> = [
  [59, '94287082', 'SHA1'],
  [59, '46119246', 'SHA256'],
  [59, '90693936', 'SHA512'],
  [1111111109, '07081804', 'SHA1'],
  [1111111109, '68084774', 'SHA256'],
  [1111111109, '25091201', 'SHA512'],
  [1111111111, '14050471', 'SHA1'],
  [1111111111, '67062674', 'SHA256'],
  [1111111111, '99943326', 'SHA512'],
  [1234567890, '89005924', 'SHA1'],
  [1234567890, '91819424', 'SHA256'],
  [1234567890, '93441116', 'SHA512'],
  [2000000000, '69279037', 'SHA1'],
  [2000000000, '90698825', 'SHA256'],
  [2000000000, '38618901', 'SHA512'],
  [20000000000, '65353130', 'SHA1'],
  [20000000000, '77737706', 'SHA256'],
  [20000000000, '47863826', 'SHA512'],
]

test.group('TOTP (RFC 6238 Appendix B)', () => {
  for (const [seconds, expected, algorithm] of VECTORS) {
    test(`${algorithm} at T=${seconds}s gives ${expected}`, ({ assert }) => {
      const options = { algorithm, digits: 8, timestamp: seconds * 1000 }
      assert.equal(totpCode(SEEDS[algorithm], options), expected)
      assert.equal(matchTotp(SEEDS[algorithm], expected, options), Math.floor(seconds / 30))
    })
  }

  test('a code is accepted one step early or late, not two', ({ assert }) => {
    const seed = SEEDS.SHA1
    const at = 1234567890 * 1000
    const step = Math.floor(at / 30_000)
    const code = totpCode(seed, { timestamp: at })
    assert.equal(matchTotp(seed, code, { timestamp: at - 30_000 }), step)
    assert.equal(matchTotp(seed, code, { timestamp: at + 30_000 }), step)
    assert.isNull(matchTotp(seed, code, { timestamp: at + 60_000 }))
    assert.isNull(matchTotp(seed, code, { timestamp: at - 60_000 }))
  })

  test('malformed and wrong codes do not match', ({ assert }) => {
    const seed = SEEDS.SHA1
    const at = 1111111109 * 1000
    const code = totpCode(seed, { timestamp: at })
    assert.lengthOf(code, 6)
    assert.isNull(matchTotp(seed, '', { timestamp: at }))
    assert.isNull(matchTotp(seed, 'abcdef', { timestamp: at }))
    assert.isNull(matchTotp(seed, code + '1', { timestamp: at }))
    assert.isNull(matchTotp(seed, String((Number(code) + 1) % 1_000_000).padStart(6, '0'), { timestamp: at }))
    assert.equal(matchTotp(seed, `${code.slice(0, 3)} ${code.slice(3)}`, { timestamp: at }), Math.floor(at / 30_000))
  })
})
