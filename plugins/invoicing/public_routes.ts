/* Public pages on the tenant host (document links under /p/invoicing) and the plugin's assets */
import router from '@adonisjs/core/services/router'

const AssetsController = () => import('./controllers/assets_controller.js')
const PublicDocumentsController = () => import('./controllers/public_documents_controller.js')

export default function () {
  router.get('/p/invoicing/assets/:file', [AssetsController, 'show']).as('assets')
  router.get('/p/invoicing/d/:token', [PublicDocumentsController, 'show']).as('documents.show')
  router.get('/p/invoicing/d/:token/pdf', [PublicDocumentsController, 'pdf']).as('documents.pdf')
  router.post('/p/invoicing/d/:token/accept', [PublicDocumentsController, 'accept']).as('documents.accept')
  router.post('/p/invoicing/d/:token/decline', [PublicDocumentsController, 'decline']).as('documents.decline')
}
