import DocumentsPages from './documents_pages.js'

/** Quotes: list, editor, view, sending, acceptance and conversion to an invoice */
export default class QuotesController extends DocumentsPages {
  type = 'quote' as const
}
