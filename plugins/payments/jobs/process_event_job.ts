/* payments:process_event — runs the handler of one stored Stripe event (idempotent) */
import type { JobContext, JobPayload } from '#services/jobs'
import { processEvent } from '#plugins/payments/services/stripe_events'

export default function processEventJob(payload: JobPayload, _ctx: JobContext) {
  return processEvent(payload.tenantId, Number(payload.eventRowId))
}
