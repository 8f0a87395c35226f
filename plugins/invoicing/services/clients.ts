/*
| Clients and their contacts: the one service behind the HTMX pages and /api/v1/clients,
| /api/v1/contacts. Every change is audited with before/after.
*/
import vine from '@vinejs/vine'
import { DateTime } from 'luxon'
import { audit, diff } from '#services/audit_service'
import { NotFoundError } from '#exceptions/domain_errors'
import { defineListing, likeContains } from '#api/pagination'
import Client from '../models/client.js'
import Contact from '../models/contact.js'
import { CLIENT_KINDS } from '../validators/parties.js'

export interface ClientInput {
  kind: 'company' | 'individual'
  name: string
  email?: string | null
  phone?: string | null
  vat_id?: string | null
  tax_id?: string | null
  currency: string
  language: string
  payment_terms_days?: number | null
  address_line1?: string | null
  address_line2?: string | null
  postal_code?: string | null
  city?: string | null
  region?: string | null
  country?: string | null
  notes?: string | null
}

export interface ContactInput {
  first_name: string
  last_name?: string | null
  email?: string | null
  phone?: string | null
  role?: string | null
  is_primary?: boolean
}

const CLIENT_COLUMNS: Array<[keyof ClientInput, keyof Client]> = [
  ['kind', 'kind'],
  ['name', 'name'],
  ['email', 'email'],
  ['phone', 'phone'],
  ['vat_id', 'vatId'],
  ['tax_id', 'taxId'],
  ['currency', 'currency'],
  ['language', 'language'],
  ['payment_terms_days', 'paymentTermsDays'],
  ['address_line1', 'addressLine1'],
  ['address_line2', 'addressLine2'],
  ['postal_code', 'postalCode'],
  ['city', 'city'],
  ['region', 'region'],
  ['country', 'country'],
  ['notes', 'notes'],
]

export const clientsListing = defineListing({
  sorts: { name: 'invoicing_clients.name', created_at: 'invoicing_clients.created_at' },
  defaultSort: 'name',
  filters: {
    q: vine.string().trim().maxLength(100).optional(),
    kind: vine.enum(CLIENT_KINDS).optional(),
    country: vine.string().trim().toUpperCase().fixedLength(2).optional(),
    currency: vine.string().trim().toUpperCase().fixedLength(3).optional(),
    status: vine.enum(['active', 'archived', 'all'] as const).optional(),
  },
})

export type ClientListParams = Awaited<ReturnType<typeof clientsListing.validate>>

export function clientsQuery(params: Partial<ClientListParams>) {
  const query = Client.query()
  const status = params.status ?? 'active'
  if (status === 'active') query.whereNull('invoicing_clients.archived_at')
  if (status === 'archived') query.whereNotNull('invoicing_clients.archived_at')
  if (params.kind) query.where('invoicing_clients.kind', params.kind)
  if (params.country) query.where('invoicing_clients.country', params.country)
  if (params.currency) query.where('invoicing_clients.currency', params.currency)
  if (params.q) {
    const term = likeContains(params.q)
    query.where((q) => {
      for (const column of ['name', 'email', 'vat_id', 'tax_id', 'city']) {
        q.orWhereRaw(`lower(coalesce(invoicing_clients.${column}, '')) like ? escape '\\'`, [term])
      }
      q.orWhereExists((sub) => {
        sub
          .from('invoicing_contacts')
          .whereColumn('invoicing_contacts.client_id', 'invoicing_clients.id')
          .where((c) => {
            c.whereRaw(`lower(invoicing_contacts.first_name || ' ' || coalesce(invoicing_contacts.last_name, '')) like ? escape '\\'`, [term])
              .orWhereRaw(`lower(coalesce(invoicing_contacts.email, '')) like ? escape '\\'`, [term])
          })
      })
    })
  }
  return query
}

/** Ids of other tenants (and ids that are not numbers) find nothing: 404 */
export async function findClient(id: unknown) {
  const n = Number(id)
  const client = Number.isSafeInteger(n) && n > 0 ? await Client.find(n) : null
  if (!client) throw new NotFoundError()
  return client
}

export async function findContact(id: unknown, client?: Client) {
  const n = Number(id)
  const contact = Number.isSafeInteger(n) && n > 0 ? await Contact.find(n) : null
  if (!contact || (client && contact.clientId !== client.id)) throw new NotFoundError()
  return contact
}

export function auditView(client: Client) {
  const out: Record<string, unknown> = {}
  for (const [key, prop] of CLIENT_COLUMNS) out[key] = client[prop]
  out.archived_at = client.archivedAt?.toUTC().toISO() ?? null
  out.merged_into_id = client.mergedIntoId
  return out
}

function assign(client: Client, input: Partial<ClientInput>) {
  for (const [key, prop] of CLIENT_COLUMNS) {
    if (input[key] !== undefined) (client as any)[prop] = input[key] === '' ? null : input[key]
  }
}

export async function createClient(input: ClientInput) {
  const client = new Client()
  assign(client, input)
  await client.save()
  await audit({ action: 'invoicing.client.created', subjectType: 'invoicing_client', subjectId: client.id, after: auditView(client) })
  return client
}

export async function updateClient(client: Client, input: Partial<ClientInput>) {
  const before = auditView(client)
  assign(client, input)
  await client.save()
  const changes = diff(before, auditView(client))
  if (Object.keys(changes.after).length) {
    await audit({ action: 'invoicing.client.updated', subjectType: 'invoicing_client', subjectId: client.id, ...changes })
  }
  return client
}

export async function archiveClient(client: Client) {
  if (client.archivedAt) return client
  client.archivedAt = DateTime.utc()
  await client.save()
  await audit({ action: 'invoicing.client.archived', subjectType: 'invoicing_client', subjectId: client.id })
  return client
}

export async function restoreClient(client: Client) {
  if (!client.archivedAt || client.mergedIntoId) return client
  client.archivedAt = null
  await client.save()
  await audit({ action: 'invoicing.client.restored', subjectType: 'invoicing_client', subjectId: client.id })
  return client
}

export function contactsOf(client: Client) {
  return Contact.query().where('client_id', client.id).orderBy('is_primary', 'desc').orderBy('first_name').orderBy('id')
}

function contactView(contact: Contact) {
  return {
    first_name: contact.firstName,
    last_name: contact.lastName,
    email: contact.email,
    phone: contact.phone,
    role: contact.role,
    is_primary: contact.isPrimary,
  }
}

function assignContact(contact: Contact, input: Partial<ContactInput>) {
  if (input.first_name !== undefined) contact.firstName = input.first_name
  if (input.last_name !== undefined) contact.lastName = input.last_name ?? null
  if (input.email !== undefined) contact.email = input.email ?? null
  if (input.phone !== undefined) contact.phone = input.phone ?? null
  if (input.role !== undefined) contact.role = input.role ?? null
  if (input.is_primary !== undefined) contact.isPrimary = input.is_primary
}

/* One primary contact per client: marking one unmarks the others */
async function keepOnePrimary(contact: Contact) {
  if (!contact.isPrimary) return
  await Contact.query().where('client_id', contact.clientId).whereNot('id', contact.id).update({ is_primary: false })
}

export async function addContact(client: Client, input: ContactInput) {
  const contact = new Contact()
  contact.clientId = client.id
  contact.isPrimary = false
  assignContact(contact, input)
  if (!(await Contact.query().where('client_id', client.id).first())) contact.isPrimary = true
  await contact.save()
  await keepOnePrimary(contact)
  await audit({
    action: 'invoicing.contact.created',
    subjectType: 'invoicing_contact',
    subjectId: contact.id,
    after: { client_id: client.id, ...contactView(contact) },
  })
  return contact
}

export async function updateContact(contact: Contact, input: Partial<ContactInput>) {
  const before = contactView(contact)
  assignContact(contact, input)
  await contact.save()
  await keepOnePrimary(contact)
  const changes = diff(before, contactView(contact))
  if (Object.keys(changes.after).length) {
    await audit({ action: 'invoicing.contact.updated', subjectType: 'invoicing_contact', subjectId: contact.id, ...changes })
  }
  return contact
}

export async function deleteContact(contact: Contact) {
  const before = { client_id: contact.clientId, ...contactView(contact) }
  await contact.delete()
  await audit({ action: 'invoicing.contact.deleted', subjectType: 'invoicing_contact', subjectId: contact.id, before })
}

export function serializeContact(contact: Contact) {
  return {
    id: contact.id,
    client_id: contact.clientId,
    ...contactView(contact),
    created_at: contact.createdAt.toUTC().toISO(),
    updated_at: contact.updatedAt.toUTC().toISO(),
  }
}

export function serializeClient(client: Client) {
  return {
    id: client.id,
    ...auditView(client),
    created_at: client.createdAt.toUTC().toISO(),
    updated_at: client.updatedAt.toUTC().toISO(),
  }
}

/** Counts per client, for the list page's contact column */
export async function contactCounts(clientIds: number[]) {
  if (!clientIds.length) return new Map<number, number>()
  const rows = await Contact.query().whereIn('client_id', clientIds).groupBy('client_id').select('client_id').count('* as total')
  return new Map(rows.map((r) => [r.clientId, Number(r.$extras.total)]))
}

