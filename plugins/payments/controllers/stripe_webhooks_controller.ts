import type { HttpContext } from '@adonisjs/core/http'
import { problem } from '#api/problem'
import { receiveWebhook, WebhookRejectedError } from '../services/stripe_webhooks.js'

/** POST /webhooks/stripe on the tenant host: verify, store once, enqueue, acknowledge */
export default class StripeWebhooksController {
  async handle(ctx: HttpContext) {
    try {
      const { event, duplicate } = await receiveWebhook(ctx.tenant!.id, ctx.request.raw(), ctx.request.header('stripe-signature'))
      return ctx.response.status(200).json({ received: true, id: event.eventId, duplicate })
    } catch (error) {
      if (!(error instanceof WebhookRejectedError)) throw error
      return ctx.response.status(400).header('content-type', 'application/problem+json').send(JSON.stringify(problem(400, error.code, error.message)))
    }
  }
}
