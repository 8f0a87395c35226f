/*
| Tenant admin pages under /app/settings. Each route names the permission it needs; finer rules
| (who may change whom) are Bouncer policies in the controllers.
*/
import router from '@adonisjs/core/services/router'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { middleware } from '#start/kernel'
import SettingsNavMiddleware from '#middleware/settings_nav_middleware'

const GeneralSettingsController = () => import('#controllers/settings/general_settings_controller')
const ThemeSettingsController = () => import('#controllers/settings/theme_settings_controller')
const TeamController = () => import('#controllers/settings/team_controller')
const RolesController = () => import('#controllers/settings/roles_controller')
const PluginsController = () => import('#controllers/settings/plugins_controller')
const AuditLogController = () => import('#controllers/settings/audit_log_controller')

const settingsNav = new SettingsNavMiddleware()
const id = router.matchers.number()
const can = (permission: string) => middleware.can([permission])

router
  .group(() => {
    router.get('/', [GeneralSettingsController, 'edit']).as('general.edit').use(can('kernel.settings.view'))
    router.post('/', [GeneralSettingsController, 'update']).as('general.update').use(can('kernel.settings.manage'))

    router.get('/theme', [ThemeSettingsController, 'edit']).as('theme.edit').use(can('kernel.settings.view'))
    router.post('/theme', [ThemeSettingsController, 'update']).as('theme.update').use(can('kernel.settings.manage'))
    router.post('/theme/reset', [ThemeSettingsController, 'reset']).as('theme.reset').use(can('kernel.settings.manage'))

    router.get('/users', [TeamController, 'index']).as('users.index').use(can('kernel.users.view'))
    router.post('/users', [TeamController, 'invite']).as('users.invite').use(can('kernel.users.manage'))
    router.post('/users/:id/role', [TeamController, 'updateRole']).as('users.role').where('id', id).use(can('kernel.users.manage'))
    router.post('/users/:id/deactivate', [TeamController, 'deactivate']).as('users.deactivate').where('id', id).use(can('kernel.users.manage'))
    router.post('/users/:id/reactivate', [TeamController, 'reactivate']).as('users.reactivate').where('id', id).use(can('kernel.users.manage'))
    router.post('/users/:id/resend', [TeamController, 'resend']).as('users.resend').where('id', id).use(can('kernel.users.manage'))

    router.get('/roles', [RolesController, 'index']).as('roles.index').use(can('kernel.roles.manage'))
    router.post('/roles/:id', [RolesController, 'update']).as('roles.update').where('id', id).use(can('kernel.roles.manage'))

    router.get('/plugins', [PluginsController, 'index']).as('plugins.index').use(can('kernel.plugins.manage'))
    router.post('/plugins/:id/enable', [PluginsController, 'enable']).as('plugins.enable').use(can('kernel.plugins.manage'))
    router.post('/plugins/:id/disable', [PluginsController, 'disable']).as('plugins.disable').use(can('kernel.plugins.manage'))
    router.get('/plugins/:id', [PluginsController, 'edit']).as('plugins.edit').use(can('kernel.plugins.manage'))
    router.post('/plugins/:id', [PluginsController, 'update']).as('plugins.update').use(can('kernel.plugins.manage'))

    router.get('/audit', [AuditLogController, 'index']).as('audit.index').use(can('kernel.audit.view'))
  })
  .prefix('/app/settings')
  .as('settings')
  .use([middleware.tenant(), middleware.auth(), (ctx: HttpContext, next: NextFn) => settingsNav.handle(ctx, next)])
