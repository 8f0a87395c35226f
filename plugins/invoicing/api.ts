/* API routes under /api/v1 (the paths the invoicing issue names: /clients, /invoices, ...) */
import parties from './api/parties.js'
import documents from './api/documents.js'

export default function () {
  parties()
  documents()
}
