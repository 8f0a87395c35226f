/*
| Uploaded files: checked for size and for their real type (content sniffing, never the name or
| the client's Content-Type), stored on a Drive disk under a random key outside the web root,
| and served back with the type and Content-Disposition the server chose.
*/
import { createHash, randomUUID } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { open, stat } from 'node:fs/promises'
import { extname } from 'node:path'
import { Readable } from 'node:stream'
import drive from '@adonisjs/drive/services/main'
import type { MultipartFile } from '@adonisjs/core/bodyparser'
import env from '#start/env'
import StoredFile from '#models/stored_file'
import { DomainError, NotFoundError } from '#exceptions/domain_errors'
import { tenantContext } from '#tenancy/tenant_context'
import { audit } from '#services/audit_service'

export interface AllowedType {
  mime: string
  /** extensions a client may name a file of this type with */
  extensions: string[]
  /** shown in the browser when asked (images, PDF); everything else is always a download */
  inline?: boolean
}

/* Keyed by the extension file-type reports; text types have no signature and are checked apart */
export const ALLOWED_TYPES: Record<string, AllowedType> = {
  pdf: { mime: 'application/pdf', extensions: ['pdf'], inline: true },
  png: { mime: 'image/png', extensions: ['png'], inline: true },
  jpg: { mime: 'image/jpeg', extensions: ['jpg', 'jpeg'], inline: true },
  gif: { mime: 'image/gif', extensions: ['gif'], inline: true },
  webp: { mime: 'image/webp', extensions: ['webp'], inline: true },
  docx: { mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', extensions: ['docx'] },
  xlsx: { mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', extensions: ['xlsx'] },
  odt: { mime: 'application/vnd.oasis.opendocument.text', extensions: ['odt'] },
  ods: { mime: 'application/vnd.oasis.opendocument.spreadsheet', extensions: ['ods'] },
  zip: { mime: 'application/zip', extensions: ['zip'] },
  xml: { mime: 'application/xml', extensions: ['xml'] },
}

const TEXT_TYPES: Record<string, AllowedType> = {
  txt: { mime: 'text/plain; charset=utf-8', extensions: ['txt'] },
  csv: { mime: 'text/csv; charset=utf-8', extensions: ['csv'] },
}

/** How many leading bytes are sniffed: enough for every signature file-type knows */
const SNIFF_BYTES = 64 * 1024

export const DEFAULT_MAX_BYTES = 10 * 1024 * 1024

export function maxUploadBytes() {
  return env.get('UPLOAD_MAX_BYTES', DEFAULT_MAX_BYTES)
}

export class FileRejectedError extends DomainError {
  constructor(code: 'E_FILE_TOO_LARGE' | 'E_FILE_TYPE_NOT_ALLOWED' | 'E_FILE_TYPE_MISMATCH' | 'E_FILE_MISSING', detail: string) {
    const status = code === 'E_FILE_TOO_LARGE' ? 413 : code === 'E_FILE_MISSING' ? 422 : 415
    super(detail, { code, status, messageKey: `files.${code.slice(2).toLowerCase()}` })
  }
}

export interface SniffResult {
  extension: string
  mime: string
}

function claimedExtension(name: string) {
  return extname(name).slice(1).toLowerCase()
}

function looksLikeUtf8Text(head: Uint8Array) {
  if (head.includes(0)) return false
  try {
    /* streaming mode: a character cut at the sniff boundary is not an error */
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: head.length === SNIFF_BYTES })
    return true
  } catch {
    return false
  }
}

/**
 * Decides what a file really is from its first bytes and refuses it when that type is not
 * allowed or does not match the extension its name claims (a PNG named .pdf, an executable
 * named .png, HTML named .txt).
 */
export async function sniff(head: Uint8Array, clientName: string): Promise<SniffResult> {
  const claimed = claimedExtension(clientName)
  /* loaded on first upload: it is not needed to boot */
  const { fileTypeFromBuffer } = await import('file-type')
  const detected = await fileTypeFromBuffer(head)
  if (detected) {
    const allowed = ALLOWED_TYPES[detected.ext]
    if (!allowed) {
      throw new FileRejectedError('E_FILE_TYPE_NOT_ALLOWED', `Files of type ${detected.mime} are not accepted`)
    }
    if (!allowed.extensions.includes(claimed)) {
      throw new FileRejectedError(
        'E_FILE_TYPE_MISMATCH',
        `The file's content is ${detected.mime}, which does not match its name "${clientName}"`
      )
    }
    return { extension: detected.ext, mime: allowed.mime }
  }
  const text = TEXT_TYPES[claimed]
  if (!text || !looksLikeUtf8Text(head) || /^\s*<(!doctype|html|script|svg|\?xml)/i.test(Buffer.from(head.subarray(0, 512)).toString('utf8'))) {
    throw new FileRejectedError(
      claimed in ALLOWED_TYPES ? 'E_FILE_TYPE_MISMATCH' : 'E_FILE_TYPE_NOT_ALLOWED',
      `The content of "${clientName}" is not an accepted file type`
    )
  }
  return { extension: claimed, mime: text.mime }
}

async function readHead(path: string) {
  const handle = await open(path, 'r')
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES)
    const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0)
    return buffer.subarray(0, bytesRead)
  } finally {
    await handle.close()
  }
}

async function sha256Of(path: string) {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path)) hash.update(chunk)
  return hash.digest('hex')
}

function newKey(tenantId: number) {
  const now = new Date()
  const month = String(now.getUTCMonth() + 1).padStart(2, '0')
  return `tenants/${tenantId}/${now.getUTCFullYear()}/${month}/${randomUUID()}`
}

function safeName(name: string) {
  /* path parts and control characters never reach a header or a log */
  const base = name.split(/[\\/]/).pop() ?? 'file'
  return base.replace(/[\u0000-\u001f\u007f]/g, '').slice(0, 200) || 'file'
}

export interface StoreOptions {
  uploadedBy?: number | null
  maxBytes?: number
}

/** Checks and stores a file uploaded through the body parser (request.file(...)) */
export async function storeUpload(file: MultipartFile | null, options: StoreOptions = {}): Promise<StoredFile> {
  if (!file || !file.tmpPath) throw new FileRejectedError('E_FILE_MISSING', 'No file was uploaded')
  const maxBytes = options.maxBytes ?? maxUploadBytes()
  const size = (await stat(file.tmpPath)).size
  if (size > maxBytes || file.errors.some((e) => e.type === 'size')) {
    throw new FileRejectedError('E_FILE_TOO_LARGE', `Files may be at most ${maxBytes} bytes`)
  }
  if (size === 0) throw new FileRejectedError('E_FILE_MISSING', 'The uploaded file is empty')
  const name = safeName(file.clientName)
  const type = await sniff(await readHead(file.tmpPath), name)
  const tmpPath = file.tmpPath
  return persist({
    name,
    type,
    size,
    sha256: await sha256Of(tmpPath),
    write: (disk, key) => disk.putStream(key, createReadStream(tmpPath), { contentType: type.mime }),
    uploadedBy: options.uploadedBy ?? null,
  })
}

/** Stores bytes the application produced itself (generated PDFs, exports), checked the same way */
export async function storeBuffer(name: string, bytes: Buffer, options: StoreOptions = {}): Promise<StoredFile> {
  const maxBytes = options.maxBytes ?? maxUploadBytes()
  if (bytes.length > maxBytes) throw new FileRejectedError('E_FILE_TOO_LARGE', `Files may be at most ${maxBytes} bytes`)
  if (bytes.length === 0) throw new FileRejectedError('E_FILE_MISSING', 'The file is empty')
  const clean = safeName(name)
  const type = await sniff(bytes.subarray(0, SNIFF_BYTES), clean)
  return persist({
    name: clean,
    type,
    size: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    write: (disk, key) => disk.put(key, bytes, { contentType: type.mime }),
    uploadedBy: options.uploadedBy ?? null,
  })
}

async function persist(input: {
  name: string
  type: SniffResult
  size: number
  sha256: string
  write: (disk: ReturnType<typeof drive.use>, key: string) => Promise<void>
  uploadedBy: number | null
}) {
  const tenant = tenantContext.requireTenant('files')
  const diskName = env.get('DRIVE_DISK', 'fs')
  const key = newKey(tenant.id)
  await input.write(drive.use(diskName), key)
  const file = await StoredFile.create({
    tenantId: tenant.id,
    disk: diskName,
    key,
    originalName: input.name,
    contentType: input.type.mime,
    extension: input.type.extension,
    size: input.size,
    sha256: input.sha256,
    uploadedBy: input.uploadedBy,
  })
  await audit({
    action: 'file.uploaded',
    subjectType: 'file',
    subjectId: file.id,
    after: { name: file.originalName, contentType: file.contentType, size: file.size },
  })
  return file
}

/** A file of the tenant in context; another tenant's id is simply not found */
export async function findFile(id: number | string): Promise<StoredFile> {
  const numeric = Number(id)
  if (!Number.isSafeInteger(numeric) || numeric < 1) throw new NotFoundError('File not found')
  const file = await StoredFile.query().where('id', numeric).first()
  if (!file) throw new NotFoundError('File not found')
  return file
}

export async function readBytes(file: StoredFile): Promise<Buffer> {
  return Buffer.from(await drive.use(file.disk as 'fs' | 's3').getBytes(file.key))
}

export async function openStream(file: StoredFile): Promise<Readable> {
  return drive.use(file.disk as 'fs' | 's3').getStream(file.key)
}

export function canShowInline(file: StoredFile) {
  return Boolean(ALLOWED_TYPES[file.extension]?.inline)
}

/** RFC 6266: an ASCII fallback name plus the exact name in RFC 5987 encoding */
export function contentDisposition(name: string, type: 'inline' | 'attachment') {
  const fallback = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_')
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase())
  return `${type}; filename="${fallback}"; filename*=UTF-8''${encoded}`
}

/** Headers for serving a file: our type, never sniffed by the browser, never run as a page */
export function serveHeaders(file: StoredFile, wantInline = false): Record<string, string> {
  const inline = wantInline && canShowInline(file)
  return {
    'Content-Type': file.contentType,
    'Content-Length': String(file.size),
    'Content-Disposition': contentDisposition(file.originalName, inline ? 'inline' : 'attachment'),
    'X-Content-Type-Options': 'nosniff',
    /* Chrome's PDF viewer does not run in a sandboxed document; every other type gets one */
    'Content-Security-Policy': inline && file.extension === 'pdf' ? "default-src 'none'" : "default-src 'none'; sandbox",
    'Cache-Control': 'private, no-store',
  }
}

export async function deleteFile(file: StoredFile) {
  await drive.use(file.disk as 'fs' | 's3').delete(file.key)
  await file.delete()
  await audit({
    action: 'file.deleted',
    subjectType: 'file',
    subjectId: file.id,
    before: { name: file.originalName, contentType: file.contentType, size: file.size },
  })
}

export async function listFiles(limit = 50) {
  return StoredFile.query().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit)
}

export function serializeFile(file: StoredFile) {
  return {
    id: file.id,
    name: file.originalName,
    content_type: file.contentType,
    extension: file.extension,
    size: file.size,
    sha256: file.sha256,
    created_at: file.createdAt.toUTC().toISO(),
  }
}
