import type { HttpContext } from '@adonisjs/core/http'
import User from '#models/user'
import { loginValidator } from '#validators/session'
import { audit } from '#services/audit_service'
import { loginThrottle } from '#services/login_throttle'
import { configuredProviders } from '#services/social_auth_service'
import { hasPendingSignIn, safeNext, signIn } from '#services/sign_in_service'

/** Staff sign-in and sign-out for the current tenant */
export default class SessionController {
  async create(ctx: HttpContext) {
    const { view, request, response } = ctx
    /* A first factor passed elsewhere (password reset, social login) continues with the second */
    if (hasPendingSignIn(ctx)) return response.redirect('/login/two-factor')
    return view.render('pages/auth/login', {
      next: request.input('next', ''),
      socialProviders: configuredProviders(),
    })
  }

  async store(ctx: HttpContext) {
    const { request, response, session, i18n } = ctx
    const { email, password } = await request.validateUsing(loginValidator)
    const throttle = await loginThrottle.check(ctx.tenant!.id, email, request.ip())
    if (throttle.blocked) {
      session.flashErrors({ email: i18n.t('auth.throttled', { seconds: throttle.retryAfter }) })
      session.flashOnly(['email'])
      return response.redirect().back()
    }
    let user: User
    try {
      user = await User.verifyCredentials(email, password)
      if (user.status !== 'active') throw new Error('inactive')
    } catch {
      await loginThrottle.fail(ctx.tenant!.id, email, request.ip())
      await audit({ action: 'auth.login_failed', subjectType: 'user', after: { email }, actor: { type: 'system', label: email } })
      session.flashErrors({ email: i18n.t('auth.invalid_credentials') })
      session.flashOnly(['email'])
      return response.redirect().back()
    }
    const next = safeNext(request.input('next'))
    const outcome = await signIn(ctx, user, 'password', { next })
    if (outcome === 'second_factor') return response.redirect('/login/two-factor')
    /* Only a complete sign-in resets the count: the password alone must not reset the wrong
       second-step codes counted against the account, or they could be guessed without end */
    await loginThrottle.clear(ctx.tenant!.id, email)
    return response.redirect(next)
  }

  async destroy({ auth, response }: HttpContext) {
    const user = auth.use('web').user
    if (user) {
      await audit({ action: 'auth.logout', subjectType: 'user', subjectId: user.id, actor: { type: 'user', id: user.id, label: user.email } })
    }
    await auth.use('web').logout()
    return response.redirect('/login')
  }
}
