import type { HttpContext } from '@adonisjs/core/http'
import { createWebhookValidator, updateWebhookValidator } from '#validators/webhook'
import {
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
  serializeAttempt,
  serializeDelivery,
  serializeEndpoint,
  updateEndpoint,
} from '#services/webhook_service'

/** /api/v1/webhooks: the same service as the settings pages */
export default class WebhooksApiController {
  async events({ tenant }: HttpContext) {
    return { data: (await eventCatalogue(tenant!.id)).map((e) => ({ type: e.type, plugin: e.plugin })) }
  }

  async index() {
    return { data: (await listEndpoints()).map(serializeEndpoint) }
  }

  /** The secret is returned here and on rotation only */
  async store({ request, response }: HttpContext) {
    const endpoint = await createEndpoint(await request.validateUsing(createWebhookValidator))
    return response.created({ data: { ...serializeEndpoint(endpoint), secret: endpoint.secret } })
  }

  async show({ params }: HttpContext) {
    return { data: serializeEndpoint(await findEndpoint(params.id)) }
  }

  async update({ params, request }: HttpContext) {
    const endpoint = await findEndpoint(params.id)
    return { data: serializeEndpoint(await updateEndpoint(endpoint, await request.validateUsing(updateWebhookValidator))) }
  }

  async destroy({ params, response }: HttpContext) {
    await deleteEndpoint(await findEndpoint(params.id))
    return response.noContent()
  }

  async rotate({ params }: HttpContext) {
    const endpoint = await rotateSecret(await findEndpoint(params.id))
    return { data: { ...serializeEndpoint(endpoint), secret: endpoint.secret } }
  }

  async test({ params, response }: HttpContext) {
    const delivery = await sendTest(await findEndpoint(params.id))
    return response.accepted({ data: serializeDelivery(delivery) })
  }

  async deliveries({ params, request }: HttpContext) {
    const limit = Math.min(Math.max(Number(request.input('limit', 50)) || 50, 1), 100)
    return { data: (await listDeliveries(await findEndpoint(params.id), limit)).map(serializeDelivery) }
  }

  async delivery({ params }: HttpContext) {
    const delivery = await findDelivery(await findEndpoint(params.id), params.deliveryId)
    return { data: { ...serializeDelivery(delivery), payload: JSON.parse(delivery.payload), attempts: (await attemptsOf(delivery)).map(serializeAttempt) } }
  }

  async replay({ params, response }: HttpContext) {
    const delivery = await findDelivery(await findEndpoint(params.id), params.deliveryId)
    await replay(delivery)
    return response.accepted({ data: serializeDelivery(delivery) })
  }
}
