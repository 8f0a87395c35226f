/* The notification centre (/app/notifications) and /api/v1/notifications; personal, so no permission */
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'

const NotificationsController = () => import('#controllers/notifications_controller')
const NotificationsApiController = () => import('#controllers/api/notifications_api_controller')

const id = router.matchers.number()

router
  .group(() => {
    router.get('/', [NotificationsController, 'index']).as('index')
    router.get('/bell', [NotificationsController, 'bell']).as('bell')
    router.get('/preferences', [NotificationsController, 'preferences']).as('preferences')
    router.post('/preferences', [NotificationsController, 'savePreferences']).as('preferences.save')
    router.post('/read-all', [NotificationsController, 'readAll']).as('read_all')
    router.get('/:id', [NotificationsController, 'show']).as('show').where('id', id)
    router.post('/:id/read', [NotificationsController, 'read']).as('read').where('id', id)
  })
  .prefix('/app/notifications')
  .as('notifications')
  .use([middleware.tenant(), middleware.auth()])

router
  .group(() => {
    router.get('/', [NotificationsApiController, 'index']).as('index')
    router.post('/read-all', [NotificationsApiController, 'readAll']).as('read_all')
    router.post('/:id/read', [NotificationsApiController, 'read']).as('read').where('id', id)
  })
  .prefix('/api/v1/notifications')
  .as('api.notifications')
  .use([middleware.api()])
