/*
| Outgoing webhooks. `webhooks.emit(tenantId, type, data)` records one delivery per subscribed
| endpoint and hands each to the `kernel:deliver_webhook` job in the same transaction (outbox).
| Deliveries are signed with the Standard Webhooks scheme, retried with exponential backoff,
| logged attempt by attempt, and can be replayed. The webhook-id header stays the same for every
| retry and replay of one event, so receivers can drop duplicates.
*/
import { createHash, randomBytes } from 'node:crypto'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { Webhook } from 'standardwebhooks'
import webhooksConfig from '#config/webhooks'
import hooks from '#kernel/hooks'
import jobs, { type JobContext } from '#services/jobs'
import WebhookEndpoint from '#models/webhook_endpoint'
import WebhookDelivery from '#models/webhook_delivery'
import WebhookDeliveryAttempt from '#models/webhook_delivery_attempt'
import { ConflictError, DomainError, NotFoundError } from '#exceptions/domain_errors'
import { tenantContext } from '#tenancy/tenant_context'
import { audit, diff } from '#services/audit_service'
import { assertPublicHost, guardedRequest } from '#services/network_guard'

export interface WebhookEventType {
  /** e.g. "invoice.finalized" */
  type: string
  /** i18n key or plain text */
  label: string
  /** the plugin that emits it ("kernel" for the kernel) */
  plugin: string
}

declare module '#kernel/hooks' {
  interface Filters {
    /** Event types tenants can subscribe webhook endpoints to */
    'webhooks.events': WebhookEventType[]
  }
}

hooks.declare('webhooks.events', { failMode: 'open', timeoutMs: 1000, description: 'Webhook event catalogue' })

export const DELIVER_JOB = 'kernel:deliver_webhook'
export const TEST_EVENT = 'webhook.test'

export class InvalidWebhookEventsError extends DomainError {
  constructor(public unknown: string[]) {
    super(`Unknown event types: ${unknown.join(', ')}`, {
      code: 'E_WEBHOOK_UNKNOWN_EVENTS',
      status: 422,
      messageKey: 'webhooks.unknown_events',
    })
  }
}

export interface EndpointInput {
  url: string
  description?: string | null
  events: string[]
  enabled?: boolean
}

/** The event types the tenant's enabled plugins emit, plus the kernel's */
export async function eventCatalogue(tenantId: number): Promise<WebhookEventType[]> {
  const types = await hooks.applyFilters('webhooks.events', [], { tenantId })
  return [...new Map(types.map((t) => [t.type, t])).values()].sort((a, b) => a.type.localeCompare(b.type))
}

function newSecret() {
  return `whsec_${randomBytes(24).toString('base64')}`
}

async function checkUrl(url: string) {
  await assertPublicHost(new URL(url), webhooksConfig.allowPrivateNetworks)
}

async function checkEvents(tenantId: number, events: string[]) {
  const known = new Set((await eventCatalogue(tenantId)).map((t) => t.type))
  const unknown = events.filter((e) => e !== '*' && !known.has(e))
  if (unknown.length) throw new InvalidWebhookEventsError(unknown)
  return [...new Set(events)]
}

function auditView(endpoint: WebhookEndpoint) {
  return { url: endpoint.url, description: endpoint.description, events: endpoint.events, enabled: endpoint.enabled }
}

export async function listEndpoints() {
  return WebhookEndpoint.query().orderBy('id', 'asc')
}

export async function findEndpoint(id: number | string) {
  const numeric = Number(id)
  const endpoint = Number.isSafeInteger(numeric) ? await WebhookEndpoint.query().where('id', numeric).first() : null
  if (!endpoint) throw new NotFoundError('Webhook endpoint not found')
  return endpoint
}

export async function createEndpoint(input: EndpointInput) {
  const tenant = tenantContext.requireTenant('webhook endpoints')
  await checkUrl(input.url)
  const events = await checkEvents(tenant.id, input.events)
  const endpoint = await WebhookEndpoint.create({
    tenantId: tenant.id,
    url: input.url,
    description: input.description?.trim() || null,
    events,
    secret: newSecret(),
    enabled: input.enabled ?? true,
  })
  await audit({ action: 'webhook_endpoint.created', subjectType: 'webhook_endpoint', subjectId: endpoint.id, after: auditView(endpoint) })
  return endpoint
}

export async function updateEndpoint(endpoint: WebhookEndpoint, input: Partial<EndpointInput>) {
  const before = auditView(endpoint)
  if (input.url !== undefined && input.url !== endpoint.url) {
    await checkUrl(input.url)
    endpoint.url = input.url
  }
  if (input.events !== undefined) endpoint.events = await checkEvents(endpoint.tenantId, input.events)
  if (input.description !== undefined) endpoint.description = input.description?.trim() || null
  if (input.enabled !== undefined) endpoint.enabled = input.enabled
  await endpoint.save()
  const changes = diff(before, auditView(endpoint))
  if (Object.keys(changes.after).length) {
    await audit({ action: 'webhook_endpoint.updated', subjectType: 'webhook_endpoint', subjectId: endpoint.id, ...changes })
  }
  return endpoint
}

export async function rotateSecret(endpoint: WebhookEndpoint) {
  endpoint.secret = newSecret()
  await endpoint.save()
  await audit({ action: 'webhook_endpoint.secret_rotated', subjectType: 'webhook_endpoint', subjectId: endpoint.id })
  return endpoint
}

export async function deleteEndpoint(endpoint: WebhookEndpoint) {
  const before = auditView(endpoint)
  await endpoint.delete()
  await audit({ action: 'webhook_endpoint.deleted', subjectType: 'webhook_endpoint', subjectId: endpoint.id, before })
}

export interface EmitOptions {
  /**
   * A stable id for this event (e.g. "invoice.finalized:42"): emitting it again is a no-op, and
   * receivers see the same webhook-id.
   */
  eventId?: string
  /** write the deliveries and their jobs in the caller's transaction */
  client?: TransactionClientContract
  /** only these endpoints (used by the test event) */
  endpointIds?: number[]
}

function messageIdFor(eventId: string | undefined) {
  if (!eventId) return `msg_${randomBytes(16).toString('hex')}`
  return `msg_${createHash('sha256').update(eventId).digest('hex').slice(0, 32)}`
}

/**
 * Sends an event to every enabled endpoint of the tenant subscribed to it. Returns the
 * deliveries created (none when no endpoint listens, or when this eventId was emitted before).
 */
export async function emit(
  tenantId: number,
  type: string,
  data: Record<string, unknown>,
  options: EmitOptions = {}
): Promise<WebhookDelivery[]> {
  const messageId = messageIdFor(options.eventId)
  const run = async (trx: TransactionClientContract) => {
    const query = WebhookEndpoint.forTenant(tenantId, { client: trx }).where('enabled', true)
    if (options.endpointIds) query.whereIn('id', options.endpointIds)
    const endpoints = (await query).filter((e) => type === TEST_EVENT || e.subscribes(type))
    if (!endpoints.length) return []
    const payload = JSON.stringify({ type, timestamp: new Date().toISOString(), data })
    const created: WebhookDelivery[] = []
    for (const endpoint of endpoints) {
      const existing = await WebhookDelivery.forTenant(tenantId, { client: trx })
        .where({ endpoint_id: endpoint.id, message_id: messageId })
        .first()
      if (existing) continue
      const delivery = await WebhookDelivery.create(
        { tenantId, endpointId: endpoint.id, messageId, event: type, payload, status: 'pending', attempts: 0 },
        { client: trx }
      )
      await jobs.dispatch(DELIVER_JOB, { tenantId, deliveryId: delivery.id }, { client: trx, jobId: `webhook-${delivery.id}` })
      created.push(delivery)
    }
    return created
  }
  return options.client ? run(options.client) : db.transaction(run)
}

/** Sends a `webhook.test` event to one endpoint, whatever it subscribes to */
export async function sendTest(endpoint: WebhookEndpoint) {
  const [delivery] = await emit(endpoint.tenantId, TEST_EVENT, { endpoint_id: endpoint.id, message: 'Test event from Coderon Flow' }, {
    endpointIds: [endpoint.id],
  })
  if (!delivery) throw new ConflictError('The endpoint is disabled', 'E_WEBHOOK_ENDPOINT_DISABLED')
  return delivery
}

export async function listDeliveries(endpoint: WebhookEndpoint, limit = 50) {
  return WebhookDelivery.forTenant(endpoint.tenantId).where('endpoint_id', endpoint.id).orderBy('id', 'desc').limit(limit)
}

export async function findDelivery(endpoint: WebhookEndpoint, id: number | string) {
  const numeric = Number(id)
  const delivery = Number.isSafeInteger(numeric)
    ? await WebhookDelivery.forTenant(endpoint.tenantId).where({ id: numeric, endpoint_id: endpoint.id }).first()
    : null
  if (!delivery) throw new NotFoundError('Webhook delivery not found')
  return delivery
}

export async function attemptsOf(delivery: WebhookDelivery) {
  return WebhookDeliveryAttempt.forTenant(delivery.tenantId).where('delivery_id', delivery.id).orderBy('id', 'asc')
}

/** Delivers the event again (same webhook-id), with a fresh set of retries */
export async function replay(delivery: WebhookDelivery) {
  if (delivery.status === 'pending') {
    throw new ConflictError('The delivery is still being attempted', 'E_WEBHOOK_DELIVERY_PENDING')
  }
  await db.transaction(async (trx) => {
    delivery.useTransaction(trx)
    delivery.status = 'pending'
    delivery.nextAttemptAt = DateTime.utc()
    await delivery.save()
    await jobs.dispatch(
      DELIVER_JOB,
      { tenantId: delivery.tenantId, deliveryId: delivery.id, manual: true },
      { client: trx, jobId: `webhook-${delivery.id}-replay-${Date.now()}` }
    )
  })
  await audit({
    action: 'webhook_delivery.replayed',
    subjectType: 'webhook_delivery',
    subjectId: delivery.id,
    after: { messageId: delivery.messageId, event: delivery.event },
  })
}

/** Standard Webhooks headers for one attempt (a fresh timestamp each time, the same id) */
export function signedHeaders(secret: string, messageId: string, payload: string, at = new Date()) {
  const timestamp = new Date(Math.floor(at.getTime() / 1000) * 1000)
  return {
    'content-type': 'application/json',
    'user-agent': webhooksConfig.userAgent,
    'webhook-id': messageId,
    'webhook-timestamp': String(timestamp.getTime() / 1000),
    'webhook-signature': new Webhook(secret).sign(messageId, timestamp, payload),
  }
}

/** The wait before retry number `attempt` (1-based), as the jobs service computes it */
export function retryDelayMs(attempt: number, firstDelayMs = webhooksConfig.retryDelayMs) {
  return firstDelayMs * 2 ** (attempt - 1)
}

/** How long after the first attempt the last one happens, for a number of attempts and first wait */
export function retryWindowMs(attempts = webhooksConfig.attempts, firstDelayMs = webhooksConfig.retryDelayMs) {
  return firstDelayMs * (2 ** (attempts - 1) - 1)
}

export class WebhookDeliveryFailed extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'WebhookDeliveryFailed'
  }
}

export interface FinalFailure {
  tenantId: number
  delivery: WebhookDelivery
  endpoint: WebhookEndpoint
}

/** Called once a delivery has used its last attempt (the notification service listens) */
export const failureListeners: Array<(failure: FinalFailure) => Promise<void>> = []

/**
 * The job: one HTTP attempt. A non-2xx answer or a network error throws, so the jobs service
 * retries with backoff; the attempt is logged either way.
 */
export async function deliver(payload: { tenantId: number; deliveryId: number; manual?: boolean }, ctx: JobContext) {
  const delivery = await WebhookDelivery.forTenant(payload.tenantId).where('id', payload.deliveryId).first()
  /* deleted with its endpoint, or already delivered by an earlier run: nothing to do */
  if (!delivery || delivery.status !== 'pending') return
  const endpoint = await WebhookEndpoint.forTenant(payload.tenantId).where('id', delivery.endpointId).firstOrFail()
  const attempt = delivery.attempts + 1
  const headers = signedHeaders(endpoint.secret, delivery.messageId, delivery.payload)
  let status: number | null = null
  let body: string | null = null
  let error: string | null = null
  let durationMs = 0
  if (!endpoint.enabled) {
    error = 'endpoint disabled'
  } else {
    try {
      const response = await guardedRequest({
        url: endpoint.url,
        method: 'POST',
        headers,
        body: delivery.payload,
        timeoutMs: webhooksConfig.timeoutMs,
        allowPrivate: webhooksConfig.allowPrivateNetworks,
        keepBytes: webhooksConfig.responseLogBytes,
      })
      status = response.status
      body = response.body
      durationMs = response.durationMs
    } catch (e) {
      error = (e as Error).message.slice(0, 500)
      durationMs = (e as { durationMs?: number }).durationMs ?? 0
    }
  }
  const succeeded = status !== null && status >= 200 && status < 300
  const lastAttempt = ctx.attempt >= webhooksConfig.attempts || !endpoint.enabled
  await db.transaction(async (trx) => {
    await WebhookDeliveryAttempt.create(
      {
        tenantId: delivery.tenantId,
        deliveryId: delivery.id,
        attempt,
        trigger: payload.manual && ctx.attempt === 1 ? 'manual' : 'automatic',
        url: endpoint.url,
        requestHeaders: headers,
        responseStatus: status,
        responseBody: body,
        durationMs,
        error,
      },
      { client: trx }
    )
    delivery.useTransaction(trx)
    delivery.attempts = attempt
    delivery.lastStatusCode = status
    if (succeeded) {
      delivery.status = 'succeeded'
      delivery.deliveredAt = DateTime.utc()
      delivery.nextAttemptAt = null
    } else if (lastAttempt) {
      delivery.status = 'failed'
      delivery.nextAttemptAt = null
    } else {
      delivery.nextAttemptAt = DateTime.utc().plus({ milliseconds: retryDelayMs(ctx.attempt) })
    }
    await delivery.save()
  })
  if (succeeded) return
  /* a disabled endpoint is not an outage: the delivery just stops */
  if (!endpoint.enabled) return
  if (lastAttempt) {
    for (const listener of failureListeners) await listener({ tenantId: delivery.tenantId, delivery, endpoint })
  }
  throw new WebhookDeliveryFailed(error ?? `endpoint answered ${status}`)
}

export function serializeEndpoint(endpoint: WebhookEndpoint) {
  return {
    id: endpoint.id,
    url: endpoint.url,
    description: endpoint.description,
    events: endpoint.events,
    enabled: endpoint.enabled,
    created_at: endpoint.createdAt.toUTC().toISO(),
    updated_at: endpoint.updatedAt.toUTC().toISO(),
  }
}

export function serializeDelivery(delivery: WebhookDelivery) {
  return {
    id: delivery.id,
    endpoint_id: delivery.endpointId,
    message_id: delivery.messageId,
    event: delivery.event,
    status: delivery.status,
    attempts: delivery.attempts,
    last_status_code: delivery.lastStatusCode,
    next_attempt_at: delivery.nextAttemptAt?.toUTC().toISO() ?? null,
    delivered_at: delivery.deliveredAt?.toUTC().toISO() ?? null,
    created_at: delivery.createdAt.toUTC().toISO(),
  }
}

export function serializeAttempt(attempt: WebhookDeliveryAttempt) {
  return {
    attempt: attempt.attempt,
    trigger: attempt.trigger,
    url: attempt.url,
    request_headers: attempt.requestHeaders,
    response_status: attempt.responseStatus,
    response_body: attempt.responseBody,
    duration_ms: attempt.durationMs,
    error: attempt.error,
    created_at: attempt.createdAt.toUTC().toISO(),
  }
}

const webhooks = { emit, eventCatalogue }
export default webhooks
