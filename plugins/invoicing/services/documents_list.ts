/*
| Filtering for document lists (API, exports, bulk selections): status (overdue derived), client,
| issue and due dates, amounts and a full-text term over number, client and references.
*/
import Document, { type DocumentStatus, type DocumentType, OPEN_STATUSES } from '../models/document.js'
import { likeContains } from '#api/pagination'
import { today } from './numbering.js'

export interface DocumentFilters {
  status?: DocumentStatus | 'overdue' | null
  clientId?: number | null
  issuedFrom?: string | null
  issuedTo?: string | null
  dueFrom?: string | null
  dueTo?: string | null
  minTotal?: number | null
  maxTotal?: number | null
  q?: string | null
}

/** A tenant-scoped query of one document type with the filters applied (no order, no limit) */
export function filteredDocuments(type: DocumentType, filters: DocumentFilters, tenantId?: number) {
  const query = tenantId ? Document.forTenant(tenantId) : Document.query()
  query.where('invoicing_documents.type', type)
  if (filters.status === 'overdue') {
    query
      .whereIn('invoicing_documents.status', OPEN_STATUSES)
      .where('invoicing_documents.balance_due', '>', 0)
      .where('invoicing_documents.due_date', '<', today())
  } else if (filters.status) {
    query.where('invoicing_documents.status', filters.status)
  }
  if (filters.clientId) query.where('invoicing_documents.client_id', filters.clientId)
  if (filters.issuedFrom) query.where('invoicing_documents.issue_date', '>=', filters.issuedFrom)
  if (filters.issuedTo) query.where('invoicing_documents.issue_date', '<=', filters.issuedTo)
  if (filters.dueFrom) query.where('invoicing_documents.due_date', '>=', filters.dueFrom)
  if (filters.dueTo) query.where('invoicing_documents.due_date', '<=', filters.dueTo)
  if (filters.minTotal !== undefined && filters.minTotal !== null) query.where('invoicing_documents.total', '>=', filters.minTotal)
  if (filters.maxTotal !== undefined && filters.maxTotal !== null) query.where('invoicing_documents.total', '<=', filters.maxTotal)
  if (filters.q) {
    const term = likeContains(filters.q)
    query.where((q) => {
      for (const column of ['number', 'client_name', 'buyer_reference', 'order_reference']) {
        q.orWhereRaw(`lower(coalesce(invoicing_documents.${column}, '')) like ? escape '\\'`, [term])
      }
    })
  }
  return query
}
