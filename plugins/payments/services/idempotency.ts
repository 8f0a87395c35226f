/*
| Outgoing Stripe calls carry an idempotency key written BEFORE the call: if the response is
| lost (timeout, dropped connection, crash), the next attempt for the same scope sends the same
| key, and Stripe replays the first result instead of charging or refunding again.
*/
import { randomUUID } from 'node:crypto'
import Stripe from 'stripe'
import IdempotencyKey from '../models/idempotency_key.js'
import { StripeCallError } from '../exceptions/payments_errors.js'

async function keyFor(tenantId: number, scope: string, operation: string) {
  const existing = await IdempotencyKey.forTenant(tenantId).where('scope', scope).first()
  if (existing) return existing
  try {
    return await IdempotencyKey.create({ tenantId, scope, operation, key: `cf_${randomUUID()}`, status: 'pending' })
  } catch (error) {
    /* a concurrent attempt for the same scope wrote it first: use that one */
    const raced = await IdempotencyKey.forTenant(tenantId).where('scope', scope).first()
    if (raced) return raced
    throw error
  }
}

/** Runs a Stripe call with the scope's persisted key; records the outcome on the key row */
export async function withIdempotencyKey<T extends { id: string }>(
  tenantId: number,
  scope: string,
  operation: string,
  call: (idempotencyKey: string) => Promise<T>
): Promise<T> {
  const row = await keyFor(tenantId, scope, operation)
  try {
    const result = await call(row.key)
    row.merge({ status: 'succeeded', resultId: result.id, error: null })
    await row.save()
    return result
  } catch (error) {
    /* a refused request stays refused under this key; a lost response stays pending for the retry */
    const refused = error instanceof Stripe.errors.StripeError && error.statusCode !== undefined && error.statusCode < 500 && error.statusCode !== 409
    row.merge({ status: refused ? 'failed' : 'pending', error: (error as Error).message.slice(0, 2000) })
    await row.save()
    if (error instanceof Stripe.errors.StripeError) throw new StripeCallError(error.message)
    throw error
  }
}
