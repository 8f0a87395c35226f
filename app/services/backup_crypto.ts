/*
| Encryption of backup archives: AES-256-GCM in authenticated chunks (the STREAM construction),
| so archives of any size are written and read with flat memory, and a single changed, dropped,
| reordered or appended byte fails with a clear error before its chunk is released.
|
| Layout:  header = magic "CFBACKUP" | version (1) | salt (16) | key check (16)
|          frames = final flag (1) | ciphertext length (u32 BE) | ciphertext | GCM tag (16), ...
| The archive key is HKDF-SHA256(BACKUP_KEY, salt); the nonce of frame i is i (96-bit BE), safe
| because every archive has its own key. Each frame's additional data binds the header, its
| index and whether it is the last one, so truncation and splicing are detected too.
*/
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto'
import { Transform, type TransformCallback } from 'node:stream'
import { DomainError } from '#exceptions/domain_errors'

const MAGIC = Buffer.from('CFBACKUP', 'ascii')
const VERSION = 1
const SALT_BYTES = 16
const CHECK_BYTES = 16
export const HEADER_BYTES = MAGIC.length + 1 + SALT_BYTES + CHECK_BYTES
const FRAME_HEAD = 5
const TAG_BYTES = 16
export const CHUNK_BYTES = 64 * 1024

export class BackupKeyError extends DomainError {
  constructor(message: string) {
    super(message, { code: 'E_BACKUP_KEY', status: 422 })
  }
}

export class BackupIntegrityError extends DomainError {
  constructor(message: string) {
    super(message, { code: 'E_BACKUP_TAMPERED', status: 422 })
  }
}

/** Decodes BACKUP_KEY (32 bytes, base64 or base64url) */
export function parseBackupKey(value: string | undefined): Buffer {
  if (!value) {
    throw new BackupKeyError('BACKUP_KEY is not set: generate one with `openssl rand -base64 32` and keep a copy outside this server')
  }
  const key = Buffer.from(value, value.includes('-') || value.includes('_') ? 'base64url' : 'base64')
  if (key.length !== 32) throw new BackupKeyError('BACKUP_KEY must be 32 bytes encoded in base64')
  return key
}

function deriveKeys(master: Buffer, salt: Buffer) {
  const okm = Buffer.from(hkdfSync('sha256', master, salt, 'coderon-flow backup v1', 64))
  return { encryption: okm.subarray(0, 32), check: okm.subarray(32) }
}

function keyCheck(checkKey: Buffer, headerStart: Buffer) {
  return createHmac('sha256', checkKey).update(headerStart).digest().subarray(0, CHECK_BYTES)
}

function nonce(index: number) {
  const iv = Buffer.alloc(12)
  iv.writeBigUInt64BE(BigInt(index), 4)
  return iv
}

function aad(header: Buffer, index: number, final: boolean) {
  const tail = Buffer.alloc(9)
  tail.writeBigUInt64BE(BigInt(index), 0)
  tail[8] = final ? 1 : 0
  return Buffer.concat([header, tail])
}

export class EncryptStream extends Transform {
  #key: Buffer
  #header: Buffer
  #pending: Buffer[] = []
  #pendingBytes = 0
  #index = 0

  constructor(master: Buffer) {
    super()
    const salt = randomBytes(SALT_BYTES)
    const keys = deriveKeys(master, salt)
    const start = Buffer.concat([MAGIC, Buffer.from([VERSION]), salt])
    this.#header = Buffer.concat([start, keyCheck(keys.check, start)])
    this.#key = keys.encryption
    this.push(this.#header)
  }

  _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
    this.#pending.push(chunk)
    this.#pendingBytes += chunk.length
    /* strictly more than one chunk: the last one is held back so flush can mark it final */
    while (this.#pendingBytes > CHUNK_BYTES) {
      const all = Buffer.concat(this.#pending)
      this.#frame(all.subarray(0, CHUNK_BYTES), false)
      const rest = all.subarray(CHUNK_BYTES)
      this.#pending = [rest]
      this.#pendingBytes = rest.length
    }
    callback()
  }

  _flush(callback: TransformCallback) {
    this.#frame(Buffer.concat(this.#pending), true)
    callback()
  }

  #frame(plain: Buffer, final: boolean) {
    const cipher = createCipheriv('aes-256-gcm', this.#key, nonce(this.#index))
    cipher.setAAD(aad(this.#header, this.#index, final))
    const body = Buffer.concat([cipher.update(plain), cipher.final()])
    const head = Buffer.alloc(FRAME_HEAD)
    head[0] = final ? 1 : 0
    head.writeUInt32BE(body.length, 1)
    this.push(Buffer.concat([head, body, cipher.getAuthTag()]))
    this.#index++
  }
}

export class DecryptStream extends Transform {
  #master: Buffer
  #key: Buffer | null = null
  #header: Buffer | null = null
  #buffer: Buffer = Buffer.alloc(0)
  #index = 0
  #done = false

  constructor(master: Buffer) {
    super()
    this.#master = master
  }

  _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
    this.#buffer = this.#buffer.length ? Buffer.concat([this.#buffer, chunk]) : chunk
    try {
      this.#drain()
      callback()
    } catch (error) {
      callback(error as Error)
    }
  }

  _flush(callback: TransformCallback) {
    if (!this.#header) return callback(new BackupIntegrityError('This is not a Coderon Flow backup archive (it is too short)'))
    if (!this.#done || this.#buffer.length) {
      return callback(new BackupIntegrityError('The backup archive is truncated: its last part is missing'))
    }
    callback()
  }

  #drain() {
    if (!this.#header) {
      if (this.#buffer.length < HEADER_BYTES) return
      const header = this.#buffer.subarray(0, HEADER_BYTES)
      if (!header.subarray(0, MAGIC.length).equals(MAGIC)) {
        throw new BackupIntegrityError('This is not a Coderon Flow backup archive (unknown file signature)')
      }
      if (header[MAGIC.length] !== VERSION) {
        throw new BackupIntegrityError(`Unsupported backup archive version ${header[MAGIC.length]}`)
      }
      const start = header.subarray(0, MAGIC.length + 1 + SALT_BYTES)
      const keys = deriveKeys(this.#master, start.subarray(MAGIC.length + 1))
      if (!timingSafeEqual(keyCheck(keys.check, start), header.subarray(start.length))) {
        throw new BackupKeyError('Wrong backup key: this archive was encrypted with a different BACKUP_KEY (or its header is damaged)')
      }
      this.#header = Buffer.from(header)
      this.#key = keys.encryption
      this.#buffer = this.#buffer.subarray(HEADER_BYTES)
    }
    while (this.#buffer.length >= FRAME_HEAD) {
      if (this.#done) throw new BackupIntegrityError('The backup archive has unexpected data after its end: it was tampered with')
      const final = this.#buffer[0] === 1
      const length = this.#buffer.readUInt32BE(1)
      if (this.#buffer[0] > 1 || length > CHUNK_BYTES) {
        throw new BackupIntegrityError(`The backup archive is damaged or was tampered with (bad frame ${this.#index})`)
      }
      const total = FRAME_HEAD + length + TAG_BYTES
      if (this.#buffer.length < total) return
      const decipher = createDecipheriv('aes-256-gcm', this.#key!, nonce(this.#index))
      decipher.setAAD(aad(this.#header, this.#index, final))
      decipher.setAuthTag(this.#buffer.subarray(FRAME_HEAD + length, total))
      let plain: Buffer
      try {
        plain = Buffer.concat([decipher.update(this.#buffer.subarray(FRAME_HEAD, FRAME_HEAD + length)), decipher.final()])
      } catch {
        throw new BackupIntegrityError(
          `The backup archive is damaged or was tampered with (part ${this.#index} failed authentication)`
        )
      }
      this.#buffer = this.#buffer.subarray(total)
      this.#index++
      this.#done = final
      if (plain.length) this.push(plain)
    }
  }
}
