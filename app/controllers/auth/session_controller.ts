import type { HttpContext } from '@adonisjs/core/http'
import { DateTime } from 'luxon'
import User from '#models/user'
import { loginValidator } from '#validators/session'
import { audit } from '#services/audit_service'
import { loginThrottle } from '#services/login_throttle'
import { configuredProviders } from '#services/social_auth_service'

/** Staff sign-in and sign-out for the current tenant */
export default class SessionController {
  async create({ view, request }: HttpContext) {
    return view.render('pages/auth/login', {
      next: request.input('next', ''),
      socialProviders: configuredProviders(),
    })
  }

  async store(ctx: HttpContext) {
    const { request, auth, response, session, i18n } = ctx
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
    await loginThrottle.clear(ctx.tenant!.id, email)
    await auth.use('web').login(user)
    session.regenerate()
    user.lastLoginAt = DateTime.utc()
    await user.save()
    await audit({ action: 'auth.login', subjectType: 'user', subjectId: user.id, actor: { type: 'user', id: user.id, label: user.email } })
    const next = String(request.input('next') || '')
    return response.redirect(next.startsWith('/app') ? next : '/app')
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
