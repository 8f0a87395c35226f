/* Web routes of the documents UI under /app/invoicing: lists, editor, view, actions, payments, bulk, widgets */
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'

const InvoicesController = () => import('../controllers/invoices_controller.js')
const QuotesController = () => import('../controllers/quotes_controller.js')
const CreditNotesController = () => import('../controllers/credit_notes_controller.js')
const WidgetsController = () => import('../controllers/widgets_controller.js')
const BulkController = () => import('../controllers/bulk_controller.js')
const PaymentsController = () => import('../controllers/payments_controller.js')

const view = middleware.can(['invoicing.documents.view'])
const manage = middleware.can(['invoicing.documents.view', 'invoicing.documents.manage'])
const issue = middleware.can(['invoicing.documents.view', 'invoicing.documents.issue'])
const pay = middleware.can(['invoicing.documents.view', 'invoicing.payments.manage'])
const id = router.matchers.number()

export default function () {
  /* the three controllers share their pages (DocumentsPages): one route table for all */
  const tables: Array<[string, typeof InvoicesController, string]> = [
    ['invoices', InvoicesController, 'invoices'],
    ['quotes', QuotesController as unknown as typeof InvoicesController, 'quotes'],
    ['credit-notes', CreditNotesController as unknown as typeof InvoicesController, 'credit_notes'],
  ]
  for (const [slug, controller, name] of tables) {
    router
      .group(() => {
        router.get('/', [controller, 'index']).as('index').use(view)
        router.get('/new', [controller, 'create']).as('create').use(manage)
        router.post('/', [controller, 'store']).as('store').use(manage)
        router.post('/editor/totals', [controller, 'preview']).as('preview').use(manage)
        router.post('/editor/lines', [controller, 'lines']).as('lines').use(manage)
        router.get('/:id/edit', [controller, 'edit']).as('edit').where('id', id).use(manage)
        router.post('/:id', [controller, 'update']).as('update').where('id', id).use(manage)
        router.get('/:id', [controller, 'show']).as('show').where('id', id).use(view)
        router.get('/:id/pdf', [controller, 'pdf']).as('pdf').where('id', id).use(view)
        router.post('/:id/finalize', [controller, 'finalize']).as('finalize').where('id', id).use(issue)
        router.post('/:id/send', [controller, 'send']).as('send').where('id', id).use(issue)
        router.post('/:id/mark-sent', [controller, 'markSent']).as('mark_sent').where('id', id).use(issue)
        router.post('/:id/accept', [controller, 'accept']).as('accept').where('id', id).use(issue)
        router.post('/:id/decline', [controller, 'decline']).as('decline').where('id', id).use(issue)
        router.post('/:id/void', [controller, 'void']).as('void').where('id', id).use(issue)
        router.post('/:id/write-off', [controller, 'writeOff']).as('write_off').where('id', id).use(issue)
        router.post('/:id/convert', [controller, 'convert']).as('convert').where('id', id).use(manage)
        router.post('/:id/credit-note', [controller, 'creditNote']).as('credit_note').where('id', id).use(manage)
        router.post('/:id/delete', [controller, 'destroy']).as('destroy').where('id', id).use(manage)
        router.post('/:id/payments', [controller, 'recordPayment']).as('payments.store').where('id', id).use(pay)
      })
      .prefix(`/${slug}`)
      .as(name)
  }

  const slug = /^(invoices|quotes|credit-notes)$/
  router.post('/:slug/bulk', [BulkController, 'store']).as('bulk.store').where('slug', slug).use(view)
  router.get('/:slug/export.csv', [BulkController, 'exportCsv']).as('export').where('slug', slug).use(view)
  router.get('/bulk/:id', [BulkController, 'show']).as('bulk.show').where('id', id).use(view)
  router.get('/bulk/:id/download', [BulkController, 'download']).as('bulk.download').where('id', id).use(view)

  router.get('/payments', [PaymentsController, 'index']).as('payments.index').use(middleware.can(['invoicing.payments.view']))

  router.get('/widgets/outstanding', [WidgetsController, 'outstanding']).as('widgets.outstanding').use(view)
  router.get('/widgets/overdue', [WidgetsController, 'overdue']).as('widgets.overdue').use(view)
  router.get('/widgets/revenue', [WidgetsController, 'revenue']).as('widgets.revenue').use(view)
}
