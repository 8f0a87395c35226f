import type { HttpContext } from '@adonisjs/core/http'
import StripeEvent from '../models/stripe_event.js'
import { reprocess } from '../services/stripe_webhooks.js'

const STATUSES = ['received', 'processing', 'processed', 'failed', 'ignored']

/** Received Stripe events: list with status, payload view, reprocess */
export default class StripeEventsController {
  async index(ctx: HttpContext) {
    const status = STATUSES.includes(ctx.request.qs().status) ? ctx.request.qs().status : null
    const query = StripeEvent.query().orderBy('id', 'desc').limit(100)
    if (status) query.where('status', status)
    return ctx.view.render('payments::pages/events', { events: await query, status, statuses: STATUSES })
  }

  async show(ctx: HttpContext) {
    const event = await StripeEvent.query().where('id', Number(ctx.params.id) || 0).firstOrFail()
    return ctx.view.render('payments::pages/event', { event })
  }

  async reprocess(ctx: HttpContext) {
    const event = await StripeEvent.query().where('id', Number(ctx.params.id) || 0).firstOrFail()
    await reprocess(event)
    ctx.session.flash('success', ctx.i18n.t('payments.events.requeued'))
    return ctx.response.redirect(`/app/payments/events/${event.id}`)
  }
}
