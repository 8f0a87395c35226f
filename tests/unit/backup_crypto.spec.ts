import { test } from '@japa/runner'
import { randomBytes } from 'node:crypto'
import { Readable, Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { BackupIntegrityError, BackupKeyError, CHUNK_BYTES, DecryptStream, EncryptStream, HEADER_BYTES } from '#services/backup_crypto'

/* feeds the input in uneven pieces, as a file or network stream would */
function pieces(data: Buffer) {
  const out: Buffer[] = []
  for (let at = 0; at < data.length; ) {
    const size = 1 + Math.floor(Math.random() * 50_000)
    out.push(data.subarray(at, at + size))
    at += size
  }
  return out
}

async function run(transform: EncryptStream | DecryptStream, input: Buffer) {
  const chunks: Buffer[] = []
  await pipeline(Readable.from(pieces(input)), transform, new Writable({ write: (c, _e, cb) => (chunks.push(c), cb()) }))
  return Buffer.concat(chunks)
}

test.group('Backup encryption', () => {
  test('round-trips empty, exact-chunk and multi-chunk data', async ({ assert }) => {
    const key = randomBytes(32)
    for (const size of [0, 1, CHUNK_BYTES, CHUNK_BYTES + 1, 3 * CHUNK_BYTES + 777]) {
      const plain = randomBytes(size)
      const sealed = await run(new EncryptStream(key), plain)
      assert.isAbove(sealed.length, HEADER_BYTES + size, 'header, frame heads and tags are added')
      assert.isFalse(size > 64 && sealed.includes(plain.subarray(0, 64)), 'no plaintext leaks')
      assert.isTrue((await run(new DecryptStream(key), sealed)).equals(plain), `size ${size}`)
    }
  })

  test('two archives of the same data differ (fresh salt per archive)', async ({ assert }) => {
    const key = randomBytes(32)
    const plain = randomBytes(1000)
    assert.isFalse((await run(new EncryptStream(key), plain)).equals(await run(new EncryptStream(key), plain)))
  })

  test('a wrong key is named as such', async ({ assert }) => {
    const sealed = await run(new EncryptStream(randomBytes(32)), randomBytes(5000))
    const error = await run(new DecryptStream(randomBytes(32)), sealed).catch((e) => e)
    assert.instanceOf(error, BackupKeyError)
    assert.match(error.message, /Wrong backup key/)
  })

  test('flipped, truncated, extended and spliced archives fail authentication', async ({ assert }) => {
    const key = randomBytes(32)
    const sealed = await run(new EncryptStream(key), randomBytes(3 * CHUNK_BYTES + 10))
    const flipped = Buffer.from(sealed)
    flipped[HEADER_BYTES + CHUNK_BYTES + 100] ^= 0x80
    const frame = 5 + CHUNK_BYTES + 16
    const withoutLastFrame = sealed.subarray(0, HEADER_BYTES + 3 * frame)
    const other = await run(new EncryptStream(key), randomBytes(100))
    const cases: Array<[string, Buffer, RegExp]> = [
      ['flipped byte', flipped, /tampered/],
      ['truncated inside a frame', sealed.subarray(0, sealed.length - 7), /truncated/],
      ['last frame removed', withoutLastFrame, /truncated/],
      ['data appended', Buffer.concat([sealed, Buffer.from([0, 0, 0, 0, 1, 9])]), /after its end|tampered/],
      ['frames reordered', Buffer.concat([sealed.subarray(0, HEADER_BYTES), sealed.subarray(HEADER_BYTES + frame, HEADER_BYTES + 2 * frame), sealed.subarray(HEADER_BYTES, HEADER_BYTES + frame), sealed.subarray(HEADER_BYTES + 2 * frame)]), /tampered/],
      ['frame from another archive', Buffer.concat([sealed.subarray(0, HEADER_BYTES), other.subarray(HEADER_BYTES)]), /tampered/],
      ['not an archive', randomBytes(200), /not a Coderon Flow backup/],
    ]
    for (const [label, data, message] of cases) {
      const error = await run(new DecryptStream(key), data).catch((e) => e)
      assert.instanceOf(error, BackupIntegrityError, label)
      assert.match(error.message, message, label)
    }
  })
})
