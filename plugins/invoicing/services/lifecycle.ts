/*
| The document state machine and the side effects of a transition: which status may move to which,
| the row lock a transition takes, and the audit entry + hook it emits once committed.
*/
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import hooks from '#kernel/hooks'
import type { Actions } from '#kernel/hooks'
import { audit } from '#services/audit_service'
import { NotFoundError } from '#exceptions/domain_errors'
import Document, { type DocumentStatus, type DocumentType, OPEN_STATUSES } from '../models/document.js'
import { DocumentLockedError, InvalidTransitionError } from '../exceptions/document_errors.js'
import type { DocumentEvent } from '../hooks.js'
import '../hooks.js'

export type Transition =
  | 'finalize'
  | 'send'
  | 'view'
  | 'accept'
  | 'decline'
  | 'convert'
  | 'void'
  | 'write_off'
  | 'pay'

/* from which statuses each transition may start, per document type */
const ALLOWED: Record<Transition, Partial<Record<DocumentType, DocumentStatus[]>>> = {
  finalize: { quote: ['draft'], invoice: ['draft'], credit_note: ['draft'] },
  send: {
    quote: ['finalized', 'sent', 'viewed'],
    invoice: ['finalized', 'sent', 'viewed', 'partially_paid', 'paid'],
    credit_note: ['finalized', 'sent', 'viewed'],
  },
  view: {
    quote: ['finalized', 'sent', 'viewed', 'accepted', 'declined', 'converted'],
    invoice: ['finalized', 'sent', 'viewed', 'partially_paid', 'paid', 'void', 'written_off'],
    credit_note: ['finalized', 'sent', 'viewed'],
  },
  accept: { quote: ['finalized', 'sent', 'viewed'] },
  decline: { quote: ['finalized', 'sent', 'viewed'] },
  convert: { quote: ['finalized', 'sent', 'viewed', 'accepted'] },
  void: { invoice: OPEN_STATUSES.concat('paid') },
  write_off: { invoice: OPEN_STATUSES },
  pay: { invoice: OPEN_STATUSES },
}

export function canTransition(doc: Pick<Document, 'type' | 'status'>, transition: Transition) {
  return (ALLOWED[transition][doc.type] ?? []).includes(doc.status)
}

export function assertTransition(doc: Pick<Document, 'type' | 'status'>, transition: Transition) {
  if (!canTransition(doc, transition)) throw new InvalidTransitionError(doc.status, transition)
}

/** Content edits are for drafts only: an issued document is corrected by a credit note */
export function assertEditable(doc: Pick<Document, 'status' | 'number'>) {
  if (doc.status !== 'draft') throw new DocumentLockedError(doc.number)
}

/**
 * Loads a document for change inside a transaction with its row locked: the no-op UPDATE is a
 * write, so SQLite takes the database write lock at once and PostgreSQL locks the row until commit.
 */
export async function lockDocument(trx: TransactionClientContract, tenantId: number, id: number) {
  await trx.from(Document.table).where({ tenant_id: tenantId, id }).update({ version: trx.raw('version') })
  const doc = await Document.forTenant(tenantId, { client: trx }).where('id', id).first()
  if (!doc) throw new NotFoundError()
  return doc
}

export function eventOf(doc: Document): DocumentEvent {
  return {
    tenantId: doc.tenantId,
    documentId: doc.id,
    type: doc.type,
    number: doc.number,
    status: doc.status,
    clientId: doc.clientId,
    currency: doc.currency,
    total: doc.total,
    balanceDue: doc.balanceDue,
  }
}

type DocumentAction = {
  [K in keyof Actions]: Actions[K] extends DocumentEvent ? K : never
}[keyof Actions]

/** Audits a committed transition and emits its hook (`<type>.<event>`) when one is declared */
export async function emitTransition(
  doc: Document,
  event: string,
  before: Record<string, unknown>,
  extra: Record<string, unknown> = {}
) {
  await audit({
    tenantId: doc.tenantId,
    action: `invoicing.${doc.type}.${event}`,
    subjectType: 'invoicing_document',
    subjectId: doc.id,
    before,
    after: { status: doc.status, number: doc.number, balanceDue: doc.balanceDue, ...extra },
  })
  const name = `${doc.type}.${event}`
  if (hooks.isDeclared(name)) {
    await hooks.doAction(name as DocumentAction, { ...eventOf(doc), ...extra } as any, { tenantId: doc.tenantId })
  }
}
