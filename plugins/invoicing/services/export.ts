/*
| Streaming reads of many documents: keyset pages over a filtered list (by id, so no OFFSET and
| flat memory), and the CSV export built on the bulk CSV writer.
*/
import type { DocumentType } from '../models/document.js'
import type Document from '../models/document.js'
import { filteredDocuments, type DocumentFilters } from './documents_list.js'
import { csvStream } from './bulk_documents.js'

/* What the CSV prints: only these columns are read */
const CSV_FIELDS = [
  'id',
  'tenant_id',
  'number',
  'type',
  'status',
  'client_name',
  'issue_date',
  'due_date',
  'valid_until',
  'currency',
  'net_total',
  'tax_total',
  'total',
  'amount_paid',
  'balance_due',
  'buyer_reference',
  'order_reference',
]

/** Every matching document of the tenant, `pageSize` at a time, in id order */
export async function* documentPages(tenantId: number, type: DocumentType, filters: DocumentFilters = {}, pageSize = 1000): AsyncIterable<Document[]> {
  let after = 0
  while (true) {
    const page = await filteredDocuments(type, filters, tenantId)
      .where('invoicing_documents.id', '>', after)
      .orderBy('invoicing_documents.id')
      .limit(pageSize)
    if (!page.length) return
    yield page
    after = page[page.length - 1].id
    if (page.length < pageSize) return
  }
}

/* Plain rows shaped like the model's attributes: a CSV row needs no model instance */
async function* csvPages(tenantId: number, type: DocumentType, filters: DocumentFilters) {
  let after = 0
  while (true) {
    const rows: Array<Record<string, any>> = await filteredDocuments(type, filters, tenantId)
      .select(CSV_FIELDS.map((c) => `invoicing_documents.${c}`))
      .where('invoicing_documents.id', '>', after)
      .orderBy('invoicing_documents.id')
      .limit(1000)
      .pojo()
    if (!rows.length) return
    yield rows.map(
      (r) =>
        ({
          number: r.number,
          type: r.type,
          status: r.status,
          clientName: r.client_name,
          issueDate: r.issue_date,
          dueDate: r.due_date,
          validUntil: r.valid_until,
          currency: r.currency,
          netTotal: Number(r.net_total),
          taxTotal: Number(r.tax_total),
          total: Number(r.total),
          amountPaid: Number(r.amount_paid),
          balanceDue: Number(r.balance_due),
          buyerReference: r.buyer_reference,
          orderReference: r.order_reference,
        }) as Document
    )
    after = Number(rows[rows.length - 1].id)
    if (rows.length < 1000) return
  }
}

/** The CSV of every document matching the filters, as a stream (formula cells neutralised) */
export function exportCsv(tenantId: number, type: DocumentType, filters: DocumentFilters = {}) {
  return csvStream(tenantId, () => csvPages(tenantId, type, filters))
}
