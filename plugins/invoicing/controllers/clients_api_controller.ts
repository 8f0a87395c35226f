import type { HttpContext } from '@adonisjs/core/http'
import vine from '@vinejs/vine'
import { clientValidator, updateClientValidator } from '../validators/parties.js'
import {
  archiveClient,
  clientsListing,
  clientsQuery,
  createClient,
  findClient,
  restoreClient,
  serializeClient,
  updateClient,
  type ClientInput,
} from '../services/clients.js'
import { mergeClients } from '../services/client_merge.js'

const mergeValidator = vine.create(
  vine.object({
    survivor_id: vine.number().withoutDecimals().positive(),
    duplicate_id: vine.number().withoutDecimals().positive(),
  })
)

/** /api/v1/clients: the same service as the client pages */
export default class ClientsApiController {
  async index(ctx: HttpContext) {
    const params = await clientsListing.validate(ctx)
    return clientsListing.respond(ctx, await clientsListing.paginate(clientsQuery(params), params), serializeClient)
  }

  async store({ request, response }: HttpContext) {
    const client = await createClient((await request.validateUsing(clientValidator)) as ClientInput)
    response.header('location', `/api/v1/clients/${client.id}`)
    return response.created({ data: serializeClient(client) })
  }

  async show({ params }: HttpContext) {
    return { data: serializeClient(await findClient(params.id)) }
  }

  async update({ params, request }: HttpContext) {
    const client = await findClient(params.id)
    const input = (await request.validateUsing(updateClientValidator)) as Partial<ClientInput>
    return { data: serializeClient(await updateClient(client, input)) }
  }

  /** Clients are archived, never deleted: issued documents keep pointing at them */
  async destroy({ params, response }: HttpContext) {
    await archiveClient(await findClient(params.id))
    return response.noContent()
  }

  async restore({ params }: HttpContext) {
    return { data: serializeClient(await restoreClient(await findClient(params.id))) }
  }

  async merge({ request }: HttpContext) {
    const input = await request.validateUsing(mergeValidator)
    const survivor = await findClient(input.survivor_id)
    const duplicate = await findClient(input.duplicate_id)
    const result = await mergeClients(survivor, duplicate)
    return { data: { survivor: serializeClient(result.survivor), merged: serializeClient(result.duplicate), moved_contacts: result.movedContacts } }
  }
}
