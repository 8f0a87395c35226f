/* /api/v1 routes of quotes, invoices, credit notes and payments */
import router from '@adonisjs/core/services/router'
import type { HttpContext } from '@adonisjs/core/http'
import { middleware } from '#start/kernel'
import type { DocumentType } from '../models/document.js'

const documents = () => import('../controllers/api/documents_api_controller.js')
const payments = () => import('../controllers/api/payments_api_controller.js')

type DocumentAction = 'index' | 'store' | 'show' | 'update' | 'destroy' | 'finalize' | 'send' | 'pdf' | 'void' | 'writeOff' | 'applyCredit' | 'accept' | 'decline' | 'convert'

/* one controller serves the three document types: the route closes over its type */
function handle(type: DocumentType, action: DocumentAction) {
  return async (ctx: HttpContext) => {
    const { default: Controller } = await documents()
    return (new Controller() as any)[action](ctx, type)
  }
}

const VIEW = middleware.can(['invoicing.documents.view'])
const MANAGE = middleware.can(['invoicing.documents.manage'])
const ISSUE = middleware.can(['invoicing.documents.issue'])

export default function () {
  const types: Array<[string, DocumentType, string]> = [
    ['/quotes', 'quote', 'quotes'],
    ['/invoices', 'invoice', 'invoices'],
    ['/credit-notes', 'credit_note', 'credit_notes'],
  ]
  for (const [path, type, name] of types) {
    router.get(path, handle(type, 'index')).as(`${name}.index`).use(VIEW)
    router.post(path, handle(type, 'store')).as(`${name}.store`).use(type === 'credit_note' ? ISSUE : MANAGE)
    router.get(`${path}/:id`, handle(type, 'show')).as(`${name}.show`).use(VIEW)
    router.patch(`${path}/:id`, handle(type, 'update')).as(`${name}.update`).use(MANAGE)
    router.delete(`${path}/:id`, handle(type, 'destroy')).as(`${name}.destroy`).use(MANAGE)
    router.post(`${path}/:id/finalize`, handle(type, 'finalize')).as(`${name}.finalize`).use(ISSUE)
    router.post(`${path}/:id/send`, handle(type, 'send')).as(`${name}.send`).use(ISSUE)
    router.get(`${path}/:id/pdf`, handle(type, 'pdf')).as(`${name}.pdf`).use(VIEW)
  }
  router.post('/invoices/:id/void', handle('invoice', 'void')).as('invoices.void').use(ISSUE)
  router.post('/invoices/:id/write-off', handle('invoice', 'writeOff')).as('invoices.write_off').use(ISSUE)
  router
    .post('/invoices/:id/apply-credit', handle('invoice', 'applyCredit'))
    .as('invoices.apply_credit')
    .use(middleware.can(['invoicing.payments.manage']))
  router.post('/quotes/:id/accept', handle('quote', 'accept')).as('quotes.accept').use(ISSUE)
  router.post('/quotes/:id/decline', handle('quote', 'decline')).as('quotes.decline').use(ISSUE)
  router.post('/quotes/:id/convert', handle('quote', 'convert')).as('quotes.convert').use(MANAGE)

  router.get('/payments', [payments, 'index']).as('payments.index').use(middleware.can(['invoicing.payments.view']))
  router.post('/payments', [payments, 'store']).as('payments.store').use(middleware.can(['invoicing.payments.manage']))
  router.get('/payments/:id', [payments, 'show']).as('payments.show').use(middleware.can(['invoicing.payments.view']))
  router
    .post('/payments/:id/refund', [payments, 'refund'])
    .as('payments.refund')
    .use(middleware.can(['invoicing.payments.manage']))
}
