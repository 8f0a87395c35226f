import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'

const DashboardController = () => import('#controllers/dashboard_controller')

router
  .group(() => {
    router.get('/', [DashboardController, 'index']).as('dashboard')
    router.get('/widgets/:id', [DashboardController, 'widget']).as('dashboard.widget')
    router.post('/preferences/theme-mode', [DashboardController, 'themeMode']).as('preferences.theme_mode')
  })
  .prefix('/app')
  .as('app')
  .use([middleware.tenant(), middleware.auth()])
