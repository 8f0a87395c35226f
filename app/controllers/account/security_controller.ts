import type { HttpContext } from '@adonisjs/core/http'
import type User from '#models/user'
import {
  confirmTotp,
  disableTotp,
  InvalidTwoFactorCodeError,
  regenerateRecoveryCodes,
  roleRequiresTwoFactor,
  startTotpEnrolment,
  twoFactorStatus,
  TwoFactorRequiredError,
} from '#services/two_factor_service'
import { PasskeyRejectedError, passkeysOf, registerPasskey, registrationOptions, removePasskey } from '#services/passkey_service'
import { confirmTotpValidator, disableTotpValidator, passkeyNameValidator } from '#validators/two_factor'
import { refuseForm, validateForm } from '#controllers/settings/form_support'

const PAGE = '/app/account/security'
const ENROL = '/app/account/security/totp'
const LABELS = { code: 'security.code', password: 'security.password', name: 'security.passkey_name' }

/** The signed-in user's own second factors: authenticator app, recovery codes and passkeys */
export default class SecurityController {
  async show(ctx: HttpContext) {
    const user = this.user(ctx)
    const [status, passkeys, required] = await Promise.all([twoFactorStatus(user), passkeysOf(user), roleRequiresTwoFactor(user)])
    return ctx.view.render('pages/account/security', {
      status,
      passkeys,
      required,
      /* flashed by the action that created them: shown on this one page view only */
      recoveryCodes: ctx.session.flashMessages.get('recoveryCodes') ?? null,
      zone: ctx.tenant!.timezone,
    })
  }

  async enrol(ctx: HttpContext) {
    const user = this.user(ctx)
    if ((await twoFactorStatus(user)).totpEnabled) return ctx.response.redirect(PAGE)
    const enrolment = await startTotpEnrolment(user, ctx.tenant!)
    return ctx.view.render('pages/account/security_totp', { enrolment, required: await roleRequiresTwoFactor(user) })
  }

  async confirm(ctx: HttpContext) {
    const user = this.user(ctx)
    const input = await validateForm<{ code: string }>(ctx, confirmTotpValidator, { back: ENROL, labels: LABELS })
    if (!input) return
    try {
      const codes = await confirmTotp(user, input.code)
      if (codes.length) ctx.session.flash('recoveryCodes', codes)
    } catch (error) {
      if (!(error instanceof InvalidTwoFactorCodeError)) throw error
      return refuseForm(ctx, { code: ctx.i18n.t('security.code_invalid') }, ENROL)
    }
    ctx.session.flash('success', ctx.i18n.t('security.totp_enabled'))
    return ctx.response.redirect(PAGE)
  }

  async disable(ctx: HttpContext) {
    const user = this.user(ctx)
    const input = await validateForm<{ password?: string; code?: string }>(ctx, disableTotpValidator, { back: PAGE, labels: LABELS })
    if (!input) return
    try {
      await disableTotp(user, input)
    } catch (error) {
      if (error instanceof InvalidTwoFactorCodeError) {
        return refuseForm(ctx, { password: ctx.i18n.t('security.disable_proof_invalid') }, PAGE)
      }
      if (error instanceof TwoFactorRequiredError) {
        ctx.session.flash('error', ctx.i18n.t('security.last_factor_required'))
        return ctx.response.redirect(PAGE)
      }
      throw error
    }
    ctx.session.flash('success', ctx.i18n.t('security.totp_disabled'))
    return ctx.response.redirect(PAGE)
  }

  async regenerate(ctx: HttpContext) {
    const codes = await regenerateRecoveryCodes(this.user(ctx))
    if (!codes) {
      ctx.session.flash('error', ctx.i18n.t('security.recovery_needs_factor'))
      return ctx.response.redirect(PAGE)
    }
    ctx.session.flash('recoveryCodes', codes)
    ctx.session.flash('success', ctx.i18n.t('security.recovery_regenerated'))
    return ctx.response.redirect(PAGE)
  }

  /** JSON for the browser's navigator.credentials.create() (public/js/passkeys.js) */
  async passkeyOptions(ctx: HttpContext) {
    return registrationOptions(ctx, this.user(ctx))
  }

  async addPasskey(ctx: HttpContext) {
    const { request, response, i18n, session } = ctx
    const user = this.user(ctx)
    let name: string
    try {
      ;({ name } = await passkeyNameValidator.validate({ name: request.input('name') }))
    } catch {
      return response.status(422).json({ message: i18n.t('security.passkey_name_required'), field: 'name' })
    }
    try {
      const { recoveryCodes } = await registerPasskey(ctx, user, name, request.input('response'))
      if (recoveryCodes.length) session.flash('recoveryCodes', recoveryCodes)
    } catch (error) {
      if (!(error instanceof PasskeyRejectedError)) throw error
      return response.status(422).json({ message: i18n.t('security.passkey_rejected') })
    }
    session.flash('success', i18n.t('security.passkey_added', { name }))
    return { redirect: PAGE }
  }

  async removePasskey(ctx: HttpContext) {
    const user = this.user(ctx)
    try {
      const passkey = await removePasskey(user, Number(ctx.params.id))
      ctx.session.flash('success', ctx.i18n.t('security.passkey_removed', { name: passkey.name }))
    } catch (error) {
      if (!(error instanceof TwoFactorRequiredError)) throw error
      ctx.session.flash('error', ctx.i18n.t('security.last_factor_required'))
    }
    return ctx.response.redirect(PAGE)
  }

  private user(ctx: HttpContext) {
    return ctx.auth.use('web').user! as User
  }
}
