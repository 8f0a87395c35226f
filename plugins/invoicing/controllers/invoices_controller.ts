import DocumentsPages from './documents_pages.js'

/** Invoices: list, editor, view, lifecycle actions, payments, bulk */
export default class InvoicesController extends DocumentsPages {
  type = 'invoice' as const
}
