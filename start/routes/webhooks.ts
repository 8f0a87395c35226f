/* Outgoing webhooks: Settings → Webhooks pages and the /api/v1/webhooks endpoints */
import router from '@adonisjs/core/services/router'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { middleware } from '#start/kernel'
import SettingsNavMiddleware from '#middleware/settings_nav_middleware'

const WebhooksController = () => import('#controllers/webhooks_controller')
const WebhooksApiController = () => import('#controllers/api/webhooks_api_controller')

const settingsNav = new SettingsNavMiddleware()
const id = router.matchers.number()
const manage = middleware.can(['kernel.webhooks.manage'])

router
  .group(() => {
    router.get('/', [WebhooksController, 'index']).as('index')
    router.get('/new', [WebhooksController, 'create']).as('create')
    router.post('/', [WebhooksController, 'store']).as('store')
    router.get('/:id', [WebhooksController, 'show']).as('show').where('id', id)
    router.get('/:id/edit', [WebhooksController, 'edit']).as('edit').where('id', id)
    router.post('/:id', [WebhooksController, 'update']).as('update').where('id', id)
    router.post('/:id/delete', [WebhooksController, 'destroy']).as('destroy').where('id', id)
    router.post('/:id/rotate-secret', [WebhooksController, 'rotate']).as('rotate').where('id', id)
    router.post('/:id/test', [WebhooksController, 'test']).as('test').where('id', id)
    router
      .get('/:id/deliveries/:deliveryId', [WebhooksController, 'delivery'])
      .as('delivery')
      .where('id', id)
      .where('deliveryId', id)
    router
      .post('/:id/deliveries/:deliveryId/replay', [WebhooksController, 'replay'])
      .as('replay')
      .where('id', id)
      .where('deliveryId', id)
  })
  .prefix('/app/settings/webhooks')
  .as('settings.webhooks')
  .use([middleware.tenant(), middleware.auth(), manage, (ctx: HttpContext, next: NextFn) => settingsNav.handle(ctx, next)])

router
  .group(() => {
    router.get('/events', [WebhooksApiController, 'events']).as('events')
    router.get('/', [WebhooksApiController, 'index']).as('index')
    router.post('/', [WebhooksApiController, 'store']).as('store')
    router.get('/:id', [WebhooksApiController, 'show']).as('show').where('id', id)
    router.patch('/:id', [WebhooksApiController, 'update']).as('update').where('id', id)
    router.delete('/:id', [WebhooksApiController, 'destroy']).as('destroy').where('id', id)
    router.post('/:id/rotate-secret', [WebhooksApiController, 'rotate']).as('rotate').where('id', id)
    router.post('/:id/test', [WebhooksApiController, 'test']).as('test').where('id', id)
    router.get('/:id/deliveries', [WebhooksApiController, 'deliveries']).as('deliveries').where('id', id)
    router
      .get('/:id/deliveries/:deliveryId', [WebhooksApiController, 'delivery'])
      .as('delivery')
      .where('id', id)
      .where('deliveryId', id)
    router
      .post('/:id/deliveries/:deliveryId/replay', [WebhooksApiController, 'replay'])
      .as('replay')
      .where('id', id)
      .where('deliveryId', id)
  })
  .prefix('/api/v1/webhooks')
  .as('api.webhooks')
  .use([middleware.api(), manage])
