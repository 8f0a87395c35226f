import type { HttpContext } from '@adonisjs/core/http'
import { acceptInvitationValidator } from '#validators/account'
import { acceptInvitation, findInvitation } from '#services/invitation_service'
import { TokenUnusableError } from '#services/user_token_service'
import { signIn } from '#services/sign_in_service'

/** Accepting an invitation: choose a password, then land signed in on the dashboard */
export default class InvitationsController {
  async show({ params, view, response }: HttpContext) {
    try {
      const invitee = await findInvitation(params.token)
      return view.render('pages/auth/accept_invitation', { token: params.token, invitee })
    } catch (error) {
      if (!(error instanceof TokenUnusableError)) throw error
      response.status(410)
      return view.render('pages/auth/link_unusable', { linkState: error.state, kind: 'invitation' })
    }
  }

  async update(ctx: HttpContext) {
    const { params, request, response, view, session, i18n } = ctx
    const input = await request.validateUsing(acceptInvitationValidator)
    try {
      const user = await acceptInvitation(params.token, input)
      await signIn(ctx, user, 'invitation')
    } catch (error) {
      if (!(error instanceof TokenUnusableError)) throw error
      response.status(410)
      return view.render('pages/auth/link_unusable', { linkState: error.state, kind: 'invitation' })
    }
    session.flash('success', i18n.t('auth.invitation_accepted', { tenant: ctx.tenant!.name }))
    return response.redirect('/app')
  }
}
