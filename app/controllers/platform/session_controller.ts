import type { HttpContext } from '@adonisjs/core/http'
import PlatformAdmin from '#models/platform_admin'
import { loginValidator } from '#validators/session'
import { loginThrottle } from '#services/login_throttle'

/** Operator sign-in for /platform (guard "platform"), throttled like staff sign-in */
export default class PlatformSessionController {
  async create({ view, auth, response }: HttpContext) {
    if (await auth.use('platform').check()) return response.redirect('/platform')
    return view.render('pages/platform/login')
  }

  async store({ request, auth, response, session, i18n, logger }: HttpContext) {
    const { email, password } = await request.validateUsing(loginValidator)
    const throttle = await loginThrottle.check('platform', email, request.ip())
    if (throttle.blocked) {
      session.flashErrors({ email: i18n.t('auth.throttled', { seconds: throttle.retryAfter }) })
      session.flashOnly(['email'])
      return response.redirect('/platform/login')
    }
    let admin: PlatformAdmin
    try {
      admin = await PlatformAdmin.verifyCredentials(email, password)
    } catch {
      await loginThrottle.fail('platform', email, request.ip())
      logger.warn({ email, ip: request.ip() }, 'platform sign-in failed')
      session.flashErrors({ email: i18n.t('auth.invalid_credentials') })
      session.flashOnly(['email'])
      return response.redirect('/platform/login')
    }
    await loginThrottle.clear('platform', email)
    await auth.use('platform').login(admin)
    logger.info({ admin: admin.id, ip: request.ip() }, 'platform sign-in')
    return response.redirect('/platform')
  }

  async destroy({ auth, response }: HttpContext) {
    await auth.use('platform').logout()
    return response.redirect('/platform/login')
  }
}
