import type { HttpContext } from '@adonisjs/core/http'
import { errors as vineErrors, type VineValidator } from '@vinejs/vine'
import type User from '#models/user'
import { labelledMessages } from '#controllers/settings/form_support'
import { changePassword, updateProfile, type ProfileInput } from '#services/account_service'
import { accountPolicyOf } from '#services/session_tracking_policy'
import { changePasswordValidator, updateProfileValidator } from '#validators/account_profile'

const BACK = '/app/account'

const LABELS: Record<string, string> = {
  fullName: 'account.full_name',
  email: 'account.email',
  current_password: 'account.current_password',
  password: 'account.new_password',
  password_confirmation: 'account.confirm_password',
}

/* Passwords are never flashed back into the form */
const SECRET_FIELDS = ['_csrf', '_method', 'current_password', 'password', 'password_confirmation']

export function refusalMessages(ctx: HttpContext) {
  return {
    wrong: ctx.i18n.t('account.current_password_wrong'),
    throttled: (seconds: number) => ctx.i18n.t('auth.throttled', { seconds }),
    needsPassword: ctx.i18n.t('account.email_needs_password'),
    taken: ctx.i18n.t('account.email_taken'),
    same: ctx.i18n.t('account.password_same'),
  }
}

/** The signed-in user's profile and password (GET /app/account) */
export default class ProfileController {
  async show(ctx: HttpContext) {
    const user = ctx.auth.use('web').user!
    const flash = ctx.session.flashMessages
    return ctx.view.render('pages/account/profile', {
      values: {
        fullName: flash.has('fullName') ? flash.get('fullName') : user.fullName,
        email: flash.has('email') ? flash.get('email') : user.email,
      },
      minLength: (await accountPolicyOf(user.tenantId)).passwordMinLength,
    })
  }

  async update(ctx: HttpContext) {
    const user = ctx.auth.use('web').user!
    return this.attempt<ProfileInput>(ctx, updateProfileValidator, async (input) => {
      await updateProfile(user, input, refusalMessages(ctx))
      ctx.session.flash('success', ctx.i18n.t('account.profile_saved'))
    })
  }

  async updatePassword(ctx: HttpContext) {
    const user = ctx.auth.use('web').user! as User
    return this.attempt<{ current_password: string; password: string }>(ctx, changePasswordValidator, async (input) => {
      const count = await changePassword(user, input, ctx.trackedSessionId ?? null, refusalMessages(ctx))
      ctx.session.flash('success', ctx.i18n.t('account.password_changed', { count }))
    })
  }

  /** Validates, runs the change, and answers with a redirect; refusals become field errors */
  private async attempt<T>(ctx: HttpContext, validator: VineValidator<any, any>, change: (input: T) => Promise<void>) {
    try {
      const input = (await validator.validate(ctx.request.all(), {
        messagesProvider: labelledMessages(ctx.i18n, LABELS),
      })) as T
      await change(input)
    } catch (error) {
      if (!(error instanceof vineErrors.E_VALIDATION_ERROR)) throw error
      ctx.session.flashValidationErrors(error, false)
      ctx.session.flashExcept(SECRET_FIELDS)
    }
    return ctx.response.redirect(BACK)
  }
}
