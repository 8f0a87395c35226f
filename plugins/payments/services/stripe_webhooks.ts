/*
| Incoming Stripe webhooks: verify the raw body with the tenant's own secret (and Stripe's
| timestamp tolerance), store the event once per (tenant, event id), enqueue its processing in
| the same transaction, acknowledge. Nothing is stored for a request that fails verification.
*/
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { DateTime } from 'luxon'
import jobs from '#services/jobs'
import { DomainError } from '#exceptions/domain_errors'
import StripeEvent from '../models/stripe_event.js'
import type StripeAccount from '../models/stripe_account.js'
import { accountFor, stripeWebhooks, WEBHOOK_TOLERANCE_S } from './stripe_client.js'

export const PROCESS_EVENT_JOB = 'payments:process_event'

export class WebhookRejectedError extends DomainError {
  constructor(message: string) {
    super(message, { code: 'E_STRIPE_WEBHOOK_REJECTED', status: 400, messageKey: 'payments.errors.webhook_rejected' })
  }
}

export async function enqueueProcessing(event: StripeEvent, client?: TransactionClientContract) {
  return jobs.dispatch(PROCESS_EVENT_JOB, { tenantId: event.tenantId, eventRowId: event.id }, { client, jobId: `payments-evt-${event.id}-${event.attempts}` })
}

/*
| Decrypted webhook secrets keyed by their ciphertext: decrypting on every delivery was a
| measurable share of the acknowledgement, and keying by ciphertext (read fresh each time) means
| a changed or removed secret takes effect on the next request with nothing to invalidate.
*/
const decryptedSecrets = new Map<string, string | null>()
const DECRYPTED_SECRETS_MAX = 1000

function webhookSecretOf(account: StripeAccount | null) {
  const ciphertext = account?.webhookSecretEncrypted
  if (!account || !ciphertext) return null
  let secret = decryptedSecrets.get(ciphertext)
  if (secret === undefined) {
    secret = account.webhookSecret
    if (decryptedSecrets.size >= DECRYPTED_SECRETS_MAX) decryptedSecrets.clear()
    decryptedSecrets.set(ciphertext, secret)
  }
  return secret
}

export async function receiveWebhook(tenantId: number, rawBody: string | null, signature: string | undefined) {
  const secret = webhookSecretOf(await accountFor(tenantId))
  if (!secret) throw new WebhookRejectedError('Stripe webhooks are not configured for this tenant')
  if (!rawBody || !signature) throw new WebhookRejectedError('Missing body or Stripe-Signature header')
  let event: { id: string; type: string; created: number; livemode: boolean }
  try {
    event = stripeWebhooks.constructEvent(rawBody, signature, secret, WEBHOOK_TOLERANCE_S) as any
  } catch (error) {
    throw new WebhookRejectedError((error as Error).message)
  }

  /* no SELECT first: a redelivery is rare, so insert and let the unique key report it */
  try {
    const stored = await db.transaction(async (trx) => {
      const row = await StripeEvent.create(
        {
          tenantId,
          eventId: event.id,
          type: event.type,
          livemode: Boolean(event.livemode),
          payload: rawBody,
          status: 'received',
          attempts: 0,
          stripeCreatedAt: event.created ? DateTime.fromSeconds(event.created) : null,
        },
        { client: trx }
      )
      await enqueueProcessing(row, trx)
      return row
    })
    return { event: stored, duplicate: false }
  } catch (error) {
    /* a redelivery, or the same event delivered concurrently: the unique key let exactly one insert through */
    const raced = await StripeEvent.forTenant(tenantId).where('event_id', event.id).first()
    if (raced) return { event: raced, duplicate: true }
    throw error
  }
}

/** Staff asked to run an event's handler again (handlers are idempotent) */
export async function reprocess(event: StripeEvent) {
  event.merge({ status: 'received', error: null })
  await event.save()
  await enqueueProcessing(event)
}
