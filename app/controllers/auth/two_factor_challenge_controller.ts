import type { HttpContext } from '@adonisjs/core/http'
import User from '#models/user'
import { audit } from '#services/audit_service'
import { loginThrottle } from '#services/login_throttle'
import { twoFactorStatus, useRecoveryCode, verifyTotp } from '#services/two_factor_service'
import { authenticationOptions, PasskeyRejectedError, verifyPasskey } from '#services/passkey_service'
import { cancelPendingSignIn, pendingSignIn, signIn, type SecondFactor } from '#services/sign_in_service'

const STEP = '/login/two-factor'

/**
 * The second sign-in step (authenticator code, recovery code or passkey) for a user whose
 * password was right, and the passwordless passkey sign-in of the login page.
 */
export default class TwoFactorChallengeController {
  async show(ctx: HttpContext) {
    const found = await pendingSignIn(ctx)
    if (!found) return this.expired(ctx)
    const status = await twoFactorStatus(found.user)
    return ctx.view.render('pages/auth/two_factor_challenge', { status })
  }

  async store(ctx: HttpContext) {
    const { request, response, session, i18n } = ctx
    const found = await pendingSignIn(ctx)
    if (!found) return this.expired(ctx)
    const { user, pending } = found
    /* A malformed code is just a wrong code: it counts against the throttle like any other */
    const method = request.input('method') === 'recovery' ? 'recovery' : 'totp'
    const code = String(request.input('code') ?? '').slice(0, 40)
    const field = method === 'recovery' ? 'recoveryCode' : 'code'
    const throttle = await loginThrottle.check(user.tenantId, user.email, request.ip())
    if (throttle.blocked) {
      session.flashErrors({ [field]: i18n.t('auth.throttled', { seconds: throttle.retryAfter }) })
      return response.redirect(STEP)
    }
    const factor: SecondFactor = method === 'recovery' ? 'recovery_code' : 'totp'
    const ok = factor === 'totp' ? await verifyTotp(user, code) : await useRecoveryCode(user, code)
    if (!ok) {
      await this.failed(ctx, user, factor)
      session.flashErrors({ [field]: i18n.t(factor === 'totp' ? 'security.code_invalid' : 'security.recovery_code_invalid') })
      return response.redirect(STEP)
    }
    await loginThrottle.clear(user.tenantId, user.email)
    await signIn(ctx, user, pending.via, { secondFactor: factor })
    if (factor === 'recovery_code') {
      const left = (await twoFactorStatus(user)).recoveryCodesLeft
      session.flash(left <= 3 ? 'error' : 'success', i18n.t('security.recovery_code_used', { count: left }))
    }
    return response.redirect(pending.next)
  }

  async cancel(ctx: HttpContext) {
    cancelPendingSignIn(ctx)
    return ctx.response.redirect('/login')
  }

  /** WebAuthn options for the pending user's own passkeys */
  async passkeyOptions(ctx: HttpContext) {
    const found = await pendingSignIn(ctx)
    if (!found) return ctx.response.status(401).json({ message: ctx.i18n.t('security.pending_expired') })
    return authenticationOptions(ctx, found.user)
  }

  async passkey(ctx: HttpContext) {
    const { request, response, i18n } = ctx
    const found = await pendingSignIn(ctx)
    if (!found) return response.status(401).json({ message: i18n.t('security.pending_expired') })
    const { user, pending } = found
    const throttle = await loginThrottle.check(user.tenantId, user.email, request.ip())
    if (throttle.blocked) return response.status(429).json({ message: i18n.t('auth.throttled', { seconds: throttle.retryAfter }) })
    try {
      await verifyPasskey(ctx, request.input('response'), user)
    } catch (error) {
      if (!(error instanceof PasskeyRejectedError)) throw error
      await this.failed(ctx, user, 'passkey')
      return response.status(422).json({ message: i18n.t('security.passkey_rejected') })
    }
    await loginThrottle.clear(user.tenantId, user.email)
    await signIn(ctx, user, pending.via, { secondFactor: 'passkey' })
    return { redirect: pending.next }
  }

  /** Passwordless: options for any passkey of this host */
  async passwordlessOptions(ctx: HttpContext) {
    return authenticationOptions(ctx, null)
  }

  async passwordless(ctx: HttpContext) {
    const { request, response, i18n } = ctx
    const scope = ctx.tenant!.id
    /* No account is known before the passkey is checked: failures count per address, so guessing
       from one place cannot lock out anyone else's passkey sign-in */
    const bucket = `passkey:${request.ip()}`
    const throttle = await loginThrottle.check(scope, bucket, request.ip())
    if (throttle.blocked) return response.status(429).json({ message: i18n.t('auth.throttled', { seconds: throttle.retryAfter }) })
    let user: User | null = null
    try {
      const passkey = await verifyPasskey(ctx, request.input('response'), null)
      user = await User.forTenant(scope).where('id', passkey.userId).first()
    } catch (error) {
      if (!(error instanceof PasskeyRejectedError)) throw error
    }
    if (!user || user.status !== 'active') {
      await loginThrottle.fail(scope, bucket, request.ip())
      await audit({ action: 'auth.login_failed', subjectType: 'user', subjectId: user?.id ?? null, after: { via: 'passkey' }, actor: { type: 'system', label: user?.email ?? null } })
      return response.status(422).json({ message: i18n.t('security.passkey_rejected') })
    }
    await signIn(ctx, user, 'passkey')
    return { redirect: '/app' }
  }

  private async failed(ctx: HttpContext, user: User, factor: SecondFactor) {
    await loginThrottle.fail(user.tenantId, user.email, ctx.request.ip())
    await audit({
      action: 'auth.two_factor_failed',
      subjectType: 'user',
      subjectId: user.id,
      after: { factor },
      actor: { type: 'system', label: user.email },
    })
  }

  private expired(ctx: HttpContext) {
    ctx.session.flash('error', ctx.i18n.t('security.pending_expired'))
    return ctx.response.redirect('/login')
  }
}
