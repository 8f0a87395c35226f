/*
| Merging a duplicate client into the one that stays. References held by other areas (documents,
| payments, client credit) are moved by the taps of `invoicing.clients.merged`, which run first:
| if one fails, nothing of the merge has happened yet and it can simply be retried.
*/
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import hooks from '#kernel/hooks'
import { audit } from '#services/audit_service'
import { DomainError } from '#exceptions/domain_errors'
import Client from '../models/client.js'
import Contact from '../models/contact.js'
import { auditView } from './clients.js'

export class MergeRefusedError extends DomainError {
  constructor(reason: 'same' | 'merged') {
    super(reason === 'same' ? 'A client cannot be merged into itself' : 'That client was already merged into another', {
      code: 'E_INVOICING_MERGE_REFUSED',
      status: 422,
      messageKey: `invoicing.clients.merge_refused_${reason}`,
    })
  }
}

/** Fields the survivor takes from the duplicate when it has none of its own */
const FILL = [
  'email', 'phone', 'vatId', 'taxId', 'paymentTermsDays', 'addressLine1', 'addressLine2',
  'postalCode', 'city', 'region', 'country', 'notes',
] as const

export async function mergeClients(survivor: Client, duplicate: Client) {
  if (survivor.id === duplicate.id) throw new MergeRefusedError('same')
  if (duplicate.mergedIntoId || survivor.mergedIntoId) throw new MergeRefusedError('merged')

  await hooks.doAction(
    'invoicing.clients.merged',
    { tenantId: survivor.tenantId, survivorId: survivor.id, mergedId: duplicate.id },
    { tenantId: survivor.tenantId }
  )

  const before = { survivor: auditView(survivor), duplicate: auditView(duplicate) }
  const moved = await db.transaction(async (trx) => {
    survivor.useTransaction(trx)
    duplicate.useTransaction(trx)
    for (const field of FILL) {
      if ((survivor[field] === null || survivor[field] === '') && duplicate[field] !== null) {
        ;(survivor as any)[field] = duplicate[field]
      }
    }
    await survivor.save()
    const survivorHasPrimary = await Contact.query({ client: trx }).where('client_id', survivor.id).where('is_primary', true).first()
    const contacts = await Contact.query({ client: trx }).where('client_id', duplicate.id).select('id')
    if (contacts.length) {
      const update: Record<string, unknown> = { client_id: survivor.id }
      if (survivorHasPrimary) update.is_primary = false
      await Contact.query({ client: trx }).where('client_id', duplicate.id).update(update)
    }
    duplicate.mergedIntoId = survivor.id
    duplicate.archivedAt = duplicate.archivedAt ?? DateTime.utc()
    await duplicate.save()
    return contacts.map((c) => c.id)
  })

  await audit({
    action: 'invoicing.client.merged',
    subjectType: 'invoicing_client',
    subjectId: survivor.id,
    before,
    after: { survivor: auditView(survivor), duplicate: auditView(duplicate), moved_contact_ids: moved },
  })
  return { survivor, duplicate, movedContacts: moved.length }
}
