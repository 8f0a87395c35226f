/*
| HTTP kernel: server middleware (every request) and router middleware (matched routes), plus
| the named middleware routes opt into.
*/
import router from '@adonisjs/core/services/router'
import server from '@adonisjs/core/services/server'
import { RequestValidator } from '@adonisjs/core/http'

server.errorHandler(() => import('#exceptions/handler'))

server.use([
  () => import('#middleware/container_bindings_middleware'),
  () => import('@adonisjs/static/static_middleware'),
  () => import('#middleware/tenant_middleware'),
  () => import('#middleware/api_rate_limit_middleware'),
])

router.use([
  () => import('@adonisjs/core/bodyparser_middleware'),
  () => import('@adonisjs/session/session_middleware'),
  () => import('@adonisjs/shield/shield_middleware'),
  () => import('@adonisjs/auth/initialize_auth_middleware'),
  () => import('#middleware/detect_locale_middleware'),
  () => import('#middleware/tracked_session_middleware'),
  () => import('#middleware/ip_allowlist_middleware'),
  () => import('#middleware/initialize_bouncer_middleware'),
  () => import('#middleware/htmx_middleware'),
  () => import('#middleware/two_factor_enforcement_middleware'),
])

export const middleware = router.named({
  guest: () => import('#middleware/guest_middleware'),
  auth: () => import('#middleware/auth_middleware'),
  platform: () => import('#middleware/platform_auth_middleware'),
  tenant: () => import('#middleware/require_tenant_middleware'),
  can: () => import('#middleware/permission_middleware'),
  plugin: () => import('#middleware/plugin_enabled_middleware'),
  api: () => import('#middleware/api_auth_middleware'),
})

/* Validation messages in the request's language (resources/lang/<locale>/validator.json) */
RequestValidator.messagesProvider = (ctx) => ctx.i18n.createMessagesProvider()
