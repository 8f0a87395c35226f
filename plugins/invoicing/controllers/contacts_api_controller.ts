import type { HttpContext } from '@adonisjs/core/http'
import vine from '@vinejs/vine'
import { defineListing, likeContains } from '#api/pagination'
import Contact from '../models/contact.js'
import { apiContactValidator, contactValidator, updateContactValidator } from '../validators/parties.js'
import {
  addContact,
  deleteContact,
  findClient,
  findContact,
  serializeContact,
  updateContact,
  type ContactInput,
} from '../services/clients.js'

export const contactsListing = defineListing({
  sorts: { first_name: 'invoicing_contacts.first_name', created_at: 'invoicing_contacts.created_at' },
  defaultSort: 'first_name',
  filters: {
    client_id: vine.number().withoutDecimals().positive().optional(),
    q: vine.string().trim().maxLength(100).optional(),
  },
})

/** /api/v1/contacts and /api/v1/clients/{id}/contacts */
export default class ContactsApiController {
  async index(ctx: HttpContext) {
    const params = await contactsListing.validate(ctx)
    const query = Contact.query()
    const clientId = ctx.params.id !== undefined ? (await findClient(ctx.params.id)).id : params.client_id
    if (clientId) query.where('invoicing_contacts.client_id', clientId)
    if (params.q) {
      const term = likeContains(params.q)
      query.where((q) => {
        q.whereRaw(`lower(invoicing_contacts.first_name || ' ' || coalesce(invoicing_contacts.last_name, '')) like ? escape '\\'`, [term])
          .orWhereRaw(`lower(coalesce(invoicing_contacts.email, '')) like ? escape '\\'`, [term])
      })
    }
    return contactsListing.respond(ctx, await contactsListing.paginate(query, params), serializeContact)
  }

  async store({ params, request, response }: HttpContext) {
    let client
    let input: ContactInput
    if (params.id !== undefined) {
      client = await findClient(params.id)
      input = (await request.validateUsing(contactValidator)) as ContactInput
    } else {
      const body = await request.validateUsing(apiContactValidator)
      client = await findClient(body.client_id)
      input = body as ContactInput
    }
    const contact = await addContact(client, input)
    response.header('location', `/api/v1/contacts/${contact.id}`)
    return response.created({ data: serializeContact(contact) })
  }

  async show({ params }: HttpContext) {
    return { data: serializeContact(await findContact(params.id)) }
  }

  async update({ params, request }: HttpContext) {
    const contact = await findContact(params.id)
    const input = (await request.validateUsing(updateContactValidator)) as Partial<ContactInput>
    return { data: serializeContact(await updateContact(contact, input)) }
  }

  async destroy({ params, response }: HttpContext) {
    await deleteContact(await findContact(params.id))
    return response.noContent()
  }
}
