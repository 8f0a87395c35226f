import type { HttpContext } from '@adonisjs/core/http'
import { NotFoundError } from '#exceptions/domain_errors'
import { audit } from '#services/audit_service'
import { isConfigured, resolveSocialUser } from '#services/social_auth_service'
import { signIn } from '#services/sign_in_service'

/** Sign-in with Google or Microsoft, for existing active staff of this tenant only */
export default class SocialController {
  async redirect({ params, ally }: HttpContext) {
    if (!isConfigured(params.provider)) throw new NotFoundError()
    return ally.use(params.provider).redirect()
  }

  async callback(ctx: HttpContext) {
    const { params, ally, response, session, i18n, logger } = ctx
    const provider = params.provider
    if (!isConfigured(provider)) throw new NotFoundError()
    const driver = ally.use(provider)
    const refuse = (key: string) => {
      session.flash('error', i18n.t(key))
      return response.redirect('/login')
    }

    if (driver.accessDenied()) return refuse('auth.social_denied')
    if (driver.stateMisMatch()) return refuse('auth.social_state_mismatch')
    if (driver.hasError()) return refuse('auth.social_failed')

    let profile
    try {
      profile = await driver.user()
    } catch (error) {
      logger.warn({ err: error, provider }, 'social sign-in: provider exchange failed')
      return refuse('auth.social_failed')
    }

    const outcome = await resolveSocialUser(provider, profile)
    if (outcome.kind === 'refused') {
      await audit({
        action: 'auth.social_login_refused',
        subjectType: 'user',
        after: { provider, email: profile.email, reason: outcome.reason },
        actor: { type: 'system', label: profile.email },
      })
      return refuse(outcome.reason === 'unverified_email' ? 'auth.social_unverified' : 'auth.social_no_account')
    }
    await signIn(ctx, outcome.user, provider)
    return response.redirect('/app')
  }
}
