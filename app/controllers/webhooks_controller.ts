import type { HttpContext } from '@adonisjs/core/http'
import { createWebhookValidator, updateWebhookValidator } from '#validators/webhook'
import { formValues, refuseForm, validateForm, wantsFragment } from '#controllers/settings/form_support'
import { BlockedAddressError, UnresolvableHostError } from '#services/network_guard'
import { ConflictError } from '#exceptions/domain_errors'
import {
  InvalidWebhookEventsError,
  attemptsOf,
  createEndpoint,
  deleteEndpoint,
  eventCatalogue,
  findDelivery,
  findEndpoint,
  listDeliveries,
  listEndpoints,
  replay,
  rotateSecret,
  sendTest,
  updateEndpoint,
  type EndpointInput,
} from '#services/webhook_service'

const BASE = '/app/settings/webhooks'

const LABELS = {
  url: 'webhooks.url',
  description: 'webhooks.description',
  events: 'webhooks.events',
  enabled: 'webhooks.enabled',
}

/* A form with no ticked box sends nothing; the validator then reports "events" as required */
function formData(ctx: HttpContext) {
  const body = ctx.request.all()
  return { ...body, events: body.events ?? [], enabled: body.enabled === 'on' || body.enabled === 'true' || body.enabled === true }
}

/** Turns the service's refusals into field errors; other errors propagate */
function fieldErrorFor(ctx: HttpContext, error: unknown): Record<string, string> | null {
  if (error instanceof BlockedAddressError || error instanceof UnresolvableHostError) {
    return { url: ctx.i18n.t(error.messageKey!, { host: error.host }) }
  }
  if (error instanceof InvalidWebhookEventsError) {
    return { events: ctx.i18n.t(error.messageKey!, { events: error.unknown.join(', ') }) }
  }
  return null
}

/** Settings → Webhooks: endpoints, their secret, the delivery log, test events and replays */
export default class WebhooksController {
  async index(ctx: HttpContext) {
    return ctx.view.render('pages/webhooks/index', { endpoints: await listEndpoints() })
  }

  async create(ctx: HttpContext) {
    return ctx.view.render('pages/webhooks/form', {
      endpoint: null,
      values: formValues(ctx, { url: '', description: '', enabled: true }),
      selected: (ctx.session.flashMessages.get('events') as string[] | undefined) ?? [],
      catalogue: await eventCatalogue(ctx.tenant!.id),
    })
  }

  async store(ctx: HttpContext) {
    const back = `${BASE}/new`
    const input = await validateForm<EndpointInput>(ctx, createWebhookValidator, { back, labels: LABELS, data: formData(ctx) })
    if (!input) return
    try {
      const endpoint = await createEndpoint(input)
      ctx.session.flash('success', ctx.i18n.t('webhooks.created'))
      return ctx.response.redirect(`${BASE}/${endpoint.id}`)
    } catch (error) {
      const fields = fieldErrorFor(ctx, error)
      if (!fields) throw error
      return refuseForm(ctx, fields, back)
    }
  }

  async show(ctx: HttpContext) {
    const endpoint = await findEndpoint(ctx.params.id)
    const deliveries = await listDeliveries(endpoint)
    if (wantsFragment(ctx)) return ctx.view.render('partials/webhooks/deliveries', { endpoint, deliveries })
    return ctx.view.render('pages/webhooks/show', { endpoint, deliveries })
  }

  async edit(ctx: HttpContext) {
    const endpoint = await findEndpoint(ctx.params.id)
    const flashed = ctx.session.flashMessages.get('events') as string[] | undefined
    return ctx.view.render('pages/webhooks/form', {
      endpoint,
      values: formValues(ctx, { url: endpoint.url, description: endpoint.description ?? '', enabled: endpoint.enabled }),
      selected: flashed ?? endpoint.events,
      catalogue: await eventCatalogue(ctx.tenant!.id),
    })
  }

  async update(ctx: HttpContext) {
    const endpoint = await findEndpoint(ctx.params.id)
    const back = `${BASE}/${endpoint.id}/edit`
    const input = await validateForm<EndpointInput>(ctx, updateWebhookValidator, { back, labels: LABELS, data: formData(ctx) })
    if (!input) return
    try {
      await updateEndpoint(endpoint, input)
    } catch (error) {
      const fields = fieldErrorFor(ctx, error)
      if (!fields) throw error
      return refuseForm(ctx, fields, back)
    }
    ctx.session.flash('success', ctx.i18n.t('forms.saved'))
    return ctx.response.redirect(`${BASE}/${endpoint.id}`)
  }

  async destroy(ctx: HttpContext) {
    await deleteEndpoint(await findEndpoint(ctx.params.id))
    ctx.session.flash('success', ctx.i18n.t('webhooks.deleted'))
    return ctx.response.redirect(BASE)
  }

  async rotate(ctx: HttpContext) {
    const endpoint = await rotateSecret(await findEndpoint(ctx.params.id))
    ctx.session.flash('success', ctx.i18n.t('webhooks.secret_rotated'))
    return ctx.response.redirect(`${BASE}/${endpoint.id}`)
  }

  async test(ctx: HttpContext) {
    const endpoint = await findEndpoint(ctx.params.id)
    try {
      await sendTest(endpoint)
      ctx.session.flash('success', ctx.i18n.t('webhooks.test_sent'))
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error
      ctx.session.flash('error', ctx.i18n.t('webhooks.test_disabled'))
    }
    return ctx.response.redirect(`${BASE}/${endpoint.id}`)
  }

  async delivery(ctx: HttpContext) {
    const endpoint = await findEndpoint(ctx.params.id)
    const delivery = await findDelivery(endpoint, ctx.params.deliveryId)
    return ctx.view.render('pages/webhooks/delivery', { endpoint, delivery, attempts: await attemptsOf(delivery) })
  }

  async replay(ctx: HttpContext) {
    const endpoint = await findEndpoint(ctx.params.id)
    const delivery = await findDelivery(endpoint, ctx.params.deliveryId)
    try {
      await replay(delivery)
      ctx.session.flash('success', ctx.i18n.t('webhooks.replayed'))
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error
      ctx.session.flash('error', ctx.i18n.t('webhooks.replay_pending'))
    }
    return ctx.response.redirect(`${BASE}/${endpoint.id}/deliveries/${delivery.id}`)
  }
}
