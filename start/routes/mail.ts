/* Settings → Mail: the tenant's sender identity and optional SMTP server */
import router from '@adonisjs/core/services/router'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { middleware } from '#start/kernel'
import SettingsNavMiddleware from '#middleware/settings_nav_middleware'

const MailSettingsController = () => import('#controllers/mail_settings_controller')
const settingsNav = new SettingsNavMiddleware()

router
  .group(() => {
    router.get('/', [MailSettingsController, 'edit']).as('edit').use(middleware.can(['kernel.settings.view']))
    router.post('/', [MailSettingsController, 'update']).as('update').use(middleware.can(['kernel.settings.manage']))
    router.post('/test', [MailSettingsController, 'test']).as('test').use(middleware.can(['kernel.settings.manage']))
  })
  .prefix('/app/settings/mail')
  .as('settings.mail')
  .use([middleware.tenant(), middleware.auth(), (ctx: HttpContext, next: NextFn) => settingsNav.handle(ctx, next)])
