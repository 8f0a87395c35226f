/*
| Idempotency-Key on /api POST requests (draft-ietf-httpapi-idempotency-key-header): the first
| successful response per (tenant, token, key) is kept for 24 hours and replayed for a retry with
| the same request; the same key with another request answers 422, and while the first request
| still runs, 409. Failed requests are not kept, so they can be retried with the same key.
| Invoked by the `api` middleware once the token is known, for kernel and plugin routes alike.
*/
import { createHash } from 'node:crypto'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import { DomainError } from '#exceptions/domain_errors'

const TABLE = 'api_idempotency_keys'
const TTL_HOURS = 24
/* visible ASCII, as the draft's sf-string allows */
const KEY = /^[\x20-\x7e]{1,255}$/
const KEPT_HEADERS = ['content-type', 'location']

interface StoredRow {
  id: number
  request_hash: string
  status_code: number | null
  response_headers: string | null
  response_body: string | null
}

function sql(date: DateTime) {
  return date.toUTC().toSQL({ includeOffset: false })!
}

/** JSON with sorted keys, so the same body in another key order is the same request */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
  if (value && typeof value === 'object') {
    const entries = Object.keys(value as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
    return `{${entries.join(',')}}`
  }
  return JSON.stringify(value) ?? 'null'
}

function requestHash(ctx: HttpContext) {
  const files = Object.entries(ctx.request.allFiles()).flatMap(([field, file]) =>
    [file].flat().map((f: any) => ({ field, name: f?.clientName, size: f?.size }))
  )
  const signature = canonical({
    method: ctx.request.method(),
    path: ctx.request.url(),
    query: ctx.request.qs(),
    body: ctx.request.body(),
    files,
  })
  return createHash('sha256').update(signature).digest('hex')
}

function refuse(status: number, code: string, message: string) {
  return new DomainError(message, { status, code })
}

export default class IdempotencyMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    const key = ctx.request.header('idempotency-key')
    if (ctx.request.method() !== 'POST' || key === undefined) return next()
    if (!KEY.test(key)) {
      throw refuse(400, 'E_INVALID_IDEMPOTENCY_KEY', 'Idempotency-Key must be 1 to 255 visible ASCII characters')
    }
    const tenantId = ctx.tenant!.id
    const tokenId = Number(ctx.apiToken!.identifier)
    const hash = requestHash(ctx)
    const now = DateTime.utc()

    await db.from(TABLE).where('tenant_id', tenantId).where('expires_at', '<=', sql(now)).delete()
    const scope = { tenant_id: tenantId, token_id: tokenId, key }
    const existing: StoredRow | null = await db.from(TABLE).where(scope).first()
    if (existing) return this.answerFor(ctx, existing, hash)

    let id: number
    try {
      const [row] = await db
        .table(TABLE)
        .insert({ ...scope, request_hash: hash, created_at: sql(now), expires_at: sql(now.plus({ hours: TTL_HOURS })) })
        .returning('id')
      id = typeof row === 'object' ? row.id : row
    } catch (error) {
      /* a concurrent request with the same key won the insert */
      const winner: StoredRow | null = await db.from(TABLE).where(scope).first()
      if (!winner) throw error
      return this.answerFor(ctx, winner, hash)
    }

    try {
      await next()
    } catch (error) {
      await db.from(TABLE).where('id', id).delete()
      throw error
    }
    await this.keep(ctx, id)
  }

  private answerFor(ctx: HttpContext, row: StoredRow, hash: string) {
    if (row.request_hash !== hash) {
      throw refuse(422, 'E_IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used with a different request')
    }
    if (row.status_code === null) {
      throw refuse(409, 'E_IDEMPOTENCY_IN_PROGRESS', 'A request with this Idempotency-Key is still being processed')
    }
    const headers: Record<string, string> = JSON.parse(row.response_headers ?? '{}')
    for (const [name, value] of Object.entries(headers)) ctx.response.header(name, value)
    ctx.response.header('Idempotent-Replayed', 'true')
    ctx.response.status(row.status_code).send(row.response_body ?? '')
  }

  /** Keeps a successful response with a body the replay can reproduce; anything else may be retried */
  private async keep(ctx: HttpContext, id: number) {
    const status = ctx.response.getStatus()
    const body = ctx.response.getBody()
    const replayable =
      status < 400 &&
      !ctx.response.lazyBody.stream &&
      !ctx.response.lazyBody.fileToStream &&
      !Buffer.isBuffer(body)
    if (!replayable) {
      await db.from(TABLE).where('id', id).delete()
      return
    }
    const isText = typeof body === 'string'
    const headers: Record<string, string> = {}
    for (const name of KEPT_HEADERS) {
      const value = ctx.response.getHeader(name)
      if (value !== undefined) headers[name] = String(value)
    }
    if (!isText && body !== null && body !== undefined) headers['content-type'] ??= 'application/json; charset=utf-8'
    await db
      .from(TABLE)
      .where('id', id)
      .update({
        status_code: status,
        response_headers: JSON.stringify(headers),
        response_body: body === null || body === undefined ? null : isText ? body : JSON.stringify(body),
      })
  }
}
