/*
| Settings → API tokens: each user manages their own personal access tokens.
*/
import router from '@adonisjs/core/services/router'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { middleware } from '#start/kernel'
import SettingsNavMiddleware from '#middleware/settings_nav_middleware'

const TokensController = () => import('#controllers/tokens_controller')

const settingsNav = new SettingsNavMiddleware()

router
  .group(() => {
    router.get('/', [TokensController, 'index']).as('index')
    router.post('/', [TokensController, 'store']).as('store')
    router.delete('/:id', [TokensController, 'destroy']).as('destroy').where('id', router.matchers.number())
  })
  .prefix('/app/settings/tokens')
  .as('settings.tokens')
  .use([
    middleware.tenant(),
    middleware.auth(),
    middleware.can(['kernel.tokens.manage']),
    (ctx: HttpContext, next: NextFn) => settingsNav.handle(ctx, next),
  ])
