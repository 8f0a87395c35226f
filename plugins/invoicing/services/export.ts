/*
| Streaming reads of many documents: keyset pages over a filtered list (by id, so no OFFSET and
| flat memory), and the CSV export built on the bulk CSV writer.
*/
import type { DocumentType } from '../models/document.js'
import type Document from '../models/document.js'
import { filteredDocuments, type DocumentFilters } from './documents_list.js'
import { csvStream } from './bulk_documents.js'

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

/** The CSV of every document matching the filters, as a stream (formula cells neutralised) */
export function exportCsv(tenantId: number, type: DocumentType, filters: DocumentFilters = {}) {
  return csvStream(tenantId, () => documentPages(tenantId, type, filters))
}
