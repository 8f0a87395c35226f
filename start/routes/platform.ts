/*
| The platform-admin area: operators (guard "platform") manage tenants. It answers only on the
| platform host (the bare APP_DOMAIN, platform.<APP_DOMAIN> or loopback) and never on a tenant
| host, so it never runs with tenant data in context.
*/
import router from '@adonisjs/core/services/router'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import env from '#start/env'
import { middleware } from '#start/kernel'
import { hostname } from '#tenancy/tenant_resolver'

const PlatformSessionController = () => import('#controllers/platform/session_controller')
const TenantsController = () => import('#controllers/platform/tenants_controller')
const DomainsController = () => import('#controllers/platform/domains_controller')

export function platformHostOnly(ctx: HttpContext, next: NextFn) {
  const host = hostname(ctx.request.header('host'))
  const appDomain = env.get('APP_DOMAIN').toLowerCase()
  const platformHost = [appDomain, `platform.${appDomain}`, '127.0.0.1', '[::1]'].includes(host)
  if (ctx.tenant || !platformHost) return ctx.response.notFound('Not found')
  return next()
}

const id = router.matchers.number()

router
  .group(() => {
    router.get('/login', [PlatformSessionController, 'create']).as('session.create')
    router.post('/login', [PlatformSessionController, 'store']).as('session.store')
    router.post('/logout', [PlatformSessionController, 'destroy']).as('session.destroy')

    router
      .group(() => {
        router.get('/', [TenantsController, 'index']).as('tenants.index')
        router.get('/tenants/create', [TenantsController, 'create']).as('tenants.create')
        router.post('/tenants', [TenantsController, 'store']).as('tenants.store')
        router.get('/tenants/:id', [TenantsController, 'show']).as('tenants.show').where('id', id)
        router.post('/tenants/:id/suspend', [TenantsController, 'suspend']).as('tenants.suspend').where('id', id)
        router.post('/tenants/:id/reactivate', [TenantsController, 'reactivate']).as('tenants.reactivate').where('id', id)
        router.post('/tenants/:id/domains', [DomainsController, 'store']).as('domains.store').where('id', id)
        router
          .post('/tenants/:id/domains/:domainId/verify', [DomainsController, 'verify'])
          .as('domains.verify')
          .where('id', id)
          .where('domainId', id)
        router
          .delete('/tenants/:id/domains/:domainId', [DomainsController, 'destroy'])
          .as('domains.destroy')
          .where('id', id)
          .where('domainId', id)
      })
      .use(middleware.platform())
  })
  .prefix('/platform')
  .as('platform')
  .use(platformHostOnly)
