/*
| Security administration: network access (IP allowlists, API rate limits), the audit log's
| CSV export and retention, and the transfer of ownership.
*/
import router from '@adonisjs/core/services/router'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import hooks from '#kernel/hooks'
import { middleware } from '#start/kernel'
import SettingsNavMiddleware from '#middleware/settings_nav_middleware'

const SecurityNetworkController = () => import('#controllers/settings/security_network_controller')
const AuditLogController = () => import('#controllers/settings/audit_log_controller')
const OwnershipController = () => import('#controllers/settings/ownership_controller')

const settingsNav = new SettingsNavMiddleware()
const can = (permission: string) => middleware.can([permission])

router
  .group(() => {
    router.get('/security/network', [SecurityNetworkController, 'edit']).as('network.edit').use(can('kernel.settings.view'))
    router.post('/security/network/ui', [SecurityNetworkController, 'updateUi']).as('network.ui').use(can('kernel.settings.manage'))
    router.post('/security/network/api', [SecurityNetworkController, 'updateApi']).as('network.api').use(can('kernel.settings.manage'))
    router.post('/security/network/limits', [SecurityNetworkController, 'updateLimits']).as('network.limits').use(can('kernel.settings.manage'))

    router.get('/audit/export', [AuditLogController, 'export']).as('audit.export').use(can('kernel.audit.view'))
    router.post('/audit/retention', [AuditLogController, 'updateRetention']).as('audit.retention').use(can('kernel.settings.manage'))

    /* Owners only: the controller checks the role, as no permission stands for "is owner" */
    router.get('/users/transfer-ownership', [OwnershipController, 'edit']).as('ownership.edit')
    router.post('/users/transfer-ownership', [OwnershipController, 'update']).as('ownership.update')
  })
  .prefix('/app/settings')
  .as('settings')
  .use([middleware.tenant(), middleware.auth(), (ctx: HttpContext, next: NextFn) => settingsNav.handle(ctx, next)])

hooks.addFilter(
  'settings.sections',
  (sections) => [
    ...sections,
    {
      id: 'kernel.network',
      label: 'security_admin.network_title',
      href: '/app/settings/security/network',
      permission: 'kernel.settings.view',
      order: 59,
    },
  ],
  { plugin: 'kernel', priority: 21 }
)
