/*
| The signed-in user's account: profile and password (/app/account), sessions
| (/app/account/sessions), the same over the API (/api/v1/me/...), an administrator signing a
| member out everywhere, and Settings → Sessions and passwords (with its settings menu entry
| and the API paths in the OpenAPI document).
*/
import router from '@adonisjs/core/services/router'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import hooks from '#kernel/hooks'
import { middleware } from '#start/kernel'
import SettingsNavMiddleware from '#middleware/settings_nav_middleware'
import { addAccountPaths } from '#services/session_tracking_openapi'

const ProfileController = () => import('#controllers/account/profile_controller')
const SessionsController = () => import('#controllers/account/sessions_controller')
const SessionPolicyController = () => import('#controllers/settings/session_policy_controller')
const AccountApiController = () => import('#controllers/api/account_api_controller')
const TeamController = () => import('#controllers/settings/team_controller')

const id = router.matchers.number()
const settingsNav = new SettingsNavMiddleware()

router
  .group(() => {
    router.get('/', [ProfileController, 'show']).as('profile.show')
    router.post('/', [ProfileController, 'update']).as('profile.update')
    router.post('/password', [ProfileController, 'updatePassword']).as('password.update')
    router.get('/sessions', [SessionsController, 'index']).as('sessions.index')
    router.post('/sessions/revoke-others', [SessionsController, 'destroyOthers']).as('sessions.revoke_others')
    router.post('/sessions/:id/revoke', [SessionsController, 'destroy']).as('sessions.revoke').where('id', id)
  })
  .prefix('/app/account')
  .as('account')
  .use([middleware.tenant(), middleware.auth()])

router
  .group(() => {
    router.get('/', [SessionPolicyController, 'edit']).as('edit').use(middleware.can(['kernel.settings.view']))
    router.post('/', [SessionPolicyController, 'update']).as('update').use(middleware.can(['kernel.settings.manage']))
  })
  .prefix('/app/settings/sessions')
  .as('settings.sessions')
  .use([middleware.tenant(), middleware.auth(), (ctx: HttpContext, next: NextFn) => settingsNav.handle(ctx, next)])

router
  .post('/app/settings/users/:id/sessions/revoke', [TeamController, 'revokeSessions'])
  .as('settings.users.revoke_sessions')
  .where('id', id)
  .use([middleware.tenant(), middleware.auth(), middleware.can(['kernel.users.manage'])])

router
  .group(() => {
    router.get('/sessions', [AccountApiController, 'sessions']).as('sessions.index')
    router.delete('/sessions/:id', [AccountApiController, 'revokeSession']).as('sessions.revoke').where('id', id)
    router.put('/password', [AccountApiController, 'changePassword']).as('password.update')
  })
  .prefix('/api/v1/me')
  .as('api.me')
  .use([middleware.api()])

hooks.addFilter(
  'settings.sections',
  (sections) => [
    ...sections,
    {
      id: 'kernel.sessions',
      label: 'account.policy_title',
      href: '/app/settings/sessions',
      permission: 'kernel.settings.view',
      order: 57,
    },
  ],
  { plugin: 'kernel', priority: 20 }
)

hooks.addFilter('api.openapi', (doc) => addAccountPaths(doc), { plugin: 'kernel', priority: 5 })
