/* Uploaded files: web pages under /app/files and the /api/v1/files endpoints */
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'

const FilesController = () => import('#controllers/files_controller')
const FilesApiController = () => import('#controllers/api/files_api_controller')

const id = router.matchers.number()
const view = middleware.can(['kernel.files.view'])
const manage = middleware.can(['kernel.files.view', 'kernel.files.manage'])

router
  .group(() => {
    router.get('/', [FilesController, 'index']).as('index').use(view)
    router.post('/', [FilesController, 'store']).as('store').use(manage)
    router.get('/:id', [FilesController, 'show']).as('show').where('id', id).use(view)
    router.post('/:id/delete', [FilesController, 'destroy']).as('destroy').where('id', id).use(manage)
  })
  .prefix('/app/files')
  .as('files')
  .use([middleware.tenant(), middleware.auth()])

router
  .group(() => {
    router.get('/', [FilesApiController, 'index']).as('index').use(view)
    router.post('/', [FilesApiController, 'store']).as('store').use(manage)
    router.get('/:id', [FilesApiController, 'show']).as('show').where('id', id).use(view)
    router.get('/:id/content', [FilesApiController, 'content']).as('content').where('id', id).use(view)
    router.delete('/:id', [FilesApiController, 'destroy']).as('destroy').where('id', id).use(manage)
  })
  .prefix('/api/v1/files')
  .as('api.files')
  .use([middleware.api()])
