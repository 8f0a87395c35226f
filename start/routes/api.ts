/*
| /api/v1: kernel endpoints behind the `api` middleware (bearer token of this tenant, scopes,
| per-token rate limit, Idempotency-Key on POST). Plugin endpoints are mounted by start/plugins.ts
| behind the same middleware. The OpenAPI document and its docs page are public on a tenant host.
*/
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'

const MeController = () => import('#controllers/api/me_controller')
const UsersController = () => import('#controllers/api/users_controller')
const OpenapiController = () => import('#controllers/api/openapi_controller')

router
  .group(() => {
    router.get('/me', [MeController, 'show']).as('me')
    router.get('/users', [UsersController, 'index']).as('users.index').use(middleware.can(['kernel.users.view']))
  })
  .prefix('/api/v1')
  .as('api.kernel')
  .use([middleware.api()])

router.get('/api/v1/openapi.json', [OpenapiController, 'show']).as('api.openapi')
router.get('/api/docs', [OpenapiController, 'docs']).as('api.docs')
