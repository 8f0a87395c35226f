/* The admin jobs page under /app/settings/jobs (permission kernel.jobs.manage). */
import router from '@adonisjs/core/services/router'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { middleware } from '#start/kernel'
import SettingsNavMiddleware from '#middleware/settings_nav_middleware'

const JobsController = () => import('#controllers/jobs_controller')
const settingsNav = new SettingsNavMiddleware()
const id = { match: /^[A-Za-z0-9_.:@=+-]{1,160}$/ }

router
  .group(() => {
    router.get('/', [JobsController, 'index']).as('index')
    router.get('/:id', [JobsController, 'show']).as('show').where('id', id)
    router.post('/:id/retry', [JobsController, 'retry']).as('retry').where('id', id)
    router.post('/:id/discard', [JobsController, 'discard']).as('discard').where('id', id)
  })
  .prefix('/app/settings/jobs')
  .as('settings.jobs')
  .use([
    middleware.tenant(),
    middleware.auth(),
    middleware.can(['kernel.jobs.manage']),
    (ctx: HttpContext, next: NextFn) => settingsNav.handle(ctx, next),
  ])
