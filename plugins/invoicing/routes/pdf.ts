/* Pages of the PDF area: designs (built-in and tenant Liquid designs with versions) and email templates */
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'

const DesignsController = () => import('../controllers/designs_controller.js')
const EmailTemplatesController = () => import('../controllers/email_templates_controller.js')

export default function () {
  const manage = middleware.can(['invoicing.settings.manage'])

  router.get('/designs', [DesignsController, 'index']).as('designs.index').use(manage)
  router.post('/designs/default', [DesignsController, 'setDefault']).as('designs.default').use(manage)
  router.get('/designs/new', [DesignsController, 'create']).as('designs.create').use(manage)
  router.post('/designs', [DesignsController, 'store']).as('designs.store').use(manage)
  router.post('/designs/preview', [DesignsController, 'preview']).as('designs.preview').use(manage)
  router.get('/designs/preview', [DesignsController, 'previewFrame']).as('designs.preview_frame').use(manage)
  router.post('/designs/preview.pdf', [DesignsController, 'previewPdf']).as('designs.preview_pdf').use(manage)
  router.get('/designs/:id', [DesignsController, 'edit']).as('designs.edit').use(manage)
  router.post('/designs/:id', [DesignsController, 'update']).as('designs.update').use(manage)
  router.post('/designs/:id/versions/:version/activate', [DesignsController, 'activate']).as('designs.activate').use(manage)

  router.get('/email-templates', [EmailTemplatesController, 'index']).as('email_templates.index').use(manage)
  router.get('/email-templates/:key/:locale', [EmailTemplatesController, 'edit']).as('email_templates.edit').use(manage)
  router.post('/email-templates/:key/:locale', [EmailTemplatesController, 'update']).as('email_templates.update').use(manage)
  router.post('/email-templates/:key/:locale/reset', [EmailTemplatesController, 'reset']).as('email_templates.reset').use(manage)
  router.post('/email-templates/:key/:locale/preview', [EmailTemplatesController, 'preview']).as('email_templates.preview').use(manage)
}
