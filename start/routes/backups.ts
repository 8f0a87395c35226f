/* Install-wide backups in the platform-admin area (platform host only, operators only) */
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { platformHostOnly } from '#start/routes/platform'

const BackupsController = () => import('#controllers/platform/backups_controller')

router
  .group(() => {
    router
      .group(() => {
        router.get('/backups', [BackupsController, 'index']).as('backups.index')
        router.post('/backups', [BackupsController, 'store']).as('backups.store')
        router
          .get('/backups/:id/download', [BackupsController, 'download'])
          .as('backups.download')
          .where('id', router.matchers.number())
      })
      .use(middleware.platform())
  })
  .prefix('/platform')
  .as('platform')
  .use(platformHostOnly)
