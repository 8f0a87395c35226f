/*
| Two-factor authentication and passkeys: the second sign-in step and passwordless passkey
| sign-in, each user's own security page, the tenant's security settings page and the admin's
| reset of a colleague's second factors.
*/
import router from '@adonisjs/core/services/router'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import hooks from '#kernel/hooks'
import { middleware } from '#start/kernel'
import SettingsNavMiddleware from '#middleware/settings_nav_middleware'

const TwoFactorChallengeController = () => import('#controllers/auth/two_factor_challenge_controller')
const SecurityController = () => import('#controllers/account/security_controller')
const SecuritySettingsController = () => import('#controllers/account/security_settings_controller')
const TeamController = () => import('#controllers/settings/team_controller')

const settingsNav = new SettingsNavMiddleware()
const id = router.matchers.number()

router
  .group(() => {
    router.get('/login/two-factor', [TwoFactorChallengeController, 'show']).as('two_factor.challenge')
    router.post('/login/two-factor', [TwoFactorChallengeController, 'store']).as('two_factor.verify')
    router.post('/login/two-factor/cancel', [TwoFactorChallengeController, 'cancel']).as('two_factor.cancel')
    router.post('/login/two-factor/passkey/options', [TwoFactorChallengeController, 'passkeyOptions']).as('two_factor.passkey_options')
    router.post('/login/two-factor/passkey', [TwoFactorChallengeController, 'passkey']).as('two_factor.passkey')
    router.post('/login/passkey/options', [TwoFactorChallengeController, 'passwordlessOptions']).as('passkey_login.options')
    router.post('/login/passkey', [TwoFactorChallengeController, 'passwordless']).as('passkey_login.store')
  })
  .use([middleware.tenant(), middleware.guest()])

router
  .group(() => {
    router.get('/', [SecurityController, 'show']).as('show')
    router.get('/totp', [SecurityController, 'enrol']).as('totp.enrol')
    router.post('/totp', [SecurityController, 'confirm']).as('totp.confirm')
    router.post('/totp/disable', [SecurityController, 'disable']).as('totp.disable')
    router.post('/recovery-codes', [SecurityController, 'regenerate']).as('recovery_codes.regenerate')
    router.post('/passkeys/options', [SecurityController, 'passkeyOptions']).as('passkeys.options')
    router.post('/passkeys', [SecurityController, 'addPasskey']).as('passkeys.store')
    router.post('/passkeys/:id/delete', [SecurityController, 'removePasskey']).as('passkeys.destroy').where('id', id)
  })
  .prefix('/app/account/security')
  .as('account.security')
  .use([middleware.tenant(), middleware.auth()])

router
  .group(() => {
    router.get('/security', [SecuritySettingsController, 'edit']).as('security.edit').use(middleware.can(['kernel.settings.view']))
    router
      .post('/security/two-factor', [SecuritySettingsController, 'updateTwoFactor'])
      .as('security.two_factor')
      .use(middleware.can(['kernel.settings.manage']))
    router
      .post('/users/:id/two-factor/reset', [TeamController, 'resetTwoFactor'])
      .as('users.two_factor_reset')
      .where('id', id)
      .use(middleware.can(['kernel.users.manage']))
  })
  .prefix('/app/settings')
  .as('settings')
  .use([middleware.tenant(), middleware.auth(), (ctx: HttpContext, next: NextFn) => settingsNav.handle(ctx, next)])

hooks.addFilter(
  'settings.sections',
  (sections) => [
    ...sections,
    { id: 'kernel.security', label: 'security.settings_title', href: '/app/settings/security', permission: 'kernel.settings.view', order: 58 },
  ],
  { plugin: 'kernel', priority: 20 }
)
