import type { HttpContext } from '@adonisjs/core/http'
import { forgotPasswordValidator, resetPasswordValidator } from '#validators/account'
import { requestPasswordReset, resetPassword, throttleResetRequest } from '#services/password_reset_service'
import { TokenUnusableError, usableToken } from '#services/user_token_service'
import { signIn } from '#services/sign_in_service'

/** Forgotten passwords: ask for a link (neutral answer), then choose a new password */
export default class PasswordResetController {
  async create({ view }: HttpContext) {
    return view.render('pages/auth/forgot_password')
  }

  async store({ request, response, session, i18n, tenant }: HttpContext) {
    const { email } = await request.validateUsing(forgotPasswordValidator)
    const wait = await throttleResetRequest(tenant!.id, email, request.ip())
    if (wait > 0) {
      session.flashErrors({ email: i18n.t('auth.throttled', { seconds: wait }) })
      session.flashOnly(['email'])
      return response.redirect('/forgot-password')
    }
    await requestPasswordReset(email)
    session.flash('status', i18n.t('auth.reset_requested'))
    return response.redirect('/forgot-password')
  }

  async edit({ params, view, response }: HttpContext) {
    try {
      await usableToken(params.token, 'reset', 'active')
    } catch (error) {
      if (!(error instanceof TokenUnusableError)) throw error
      response.status(410)
      return view.render('pages/auth/link_unusable', { linkState: error.state, kind: 'reset' })
    }
    return view.render('pages/auth/reset_password', { token: params.token })
  }

  async update(ctx: HttpContext) {
    const { params, request, response, view, session, i18n } = ctx
    const { password } = await request.validateUsing(resetPasswordValidator)
    try {
      const user = await resetPassword(params.token, password)
      await signIn(ctx, user, 'password_reset')
    } catch (error) {
      if (!(error instanceof TokenUnusableError)) throw error
      response.status(410)
      return view.render('pages/auth/link_unusable', { linkState: error.state, kind: 'reset' })
    }
    session.flash('success', i18n.t('auth.password_changed'))
    return response.redirect('/app')
  }
}
