import DocumentsPages from './documents_pages.js'

/** Credit notes: list, editor, view and sending (they are created from an invoice) */
export default class CreditNotesController extends DocumentsPages {
  type = 'credit_note' as const
}
