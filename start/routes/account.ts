/*
| Account flows on a tenant host: forgotten passwords and accepting invitations. Social
| sign-in lives here too, as it is another way into the same staff account.
*/
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'

const PasswordResetController = () => import('#controllers/auth/password_reset_controller')
const InvitationsController = () => import('#controllers/auth/invitations_controller')
const SocialController = () => import('#controllers/auth/social_controller')

router
  .group(() => {
    router.get('/forgot-password', [PasswordResetController, 'create']).as('password_reset.create')
    router.post('/forgot-password', [PasswordResetController, 'store']).as('password_reset.store')
    router.get('/reset-password/:token', [PasswordResetController, 'edit']).as('password_reset.edit')
    router.post('/reset-password/:token', [PasswordResetController, 'update']).as('password_reset.update')
    router.get('/invitations/:token', [InvitationsController, 'show']).as('invitations.show')
    router.post('/invitations/:token', [InvitationsController, 'update']).as('invitations.update')
    router.get('/auth/:provider/redirect', [SocialController, 'redirect']).as('social.redirect')
    router.get('/auth/:provider/callback', [SocialController, 'callback']).as('social.callback')
  })
  .use([middleware.tenant(), middleware.guest()])
