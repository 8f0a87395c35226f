import type { HttpContext } from '@adonisjs/core/http'
import { formValues, refuseForm, validateForm } from '#controllers/settings/form_support'
import { accountPolicyOf, updateAccountPolicy } from '#services/session_tracking_policy'
import { accountPolicyValidator } from '#validators/account_profile'

const BACK = '/app/settings/sessions'

const LABELS: Record<string, string> = {
  idleTimeoutMinutes: 'account.policy_idle',
  absoluteTimeoutHours: 'account.policy_absolute',
  passwordMinLength: 'account.policy_min_length',
}

/** Settings → Sessions and passwords: idle and absolute session timeouts, password minimum */
export default class SessionPolicyController {
  async edit(ctx: HttpContext) {
    const policy = await accountPolicyOf(ctx.tenant!.id)
    return ctx.view.render('pages/account/sessions_policy', {
      values: formValues(ctx, {
        idleTimeoutMinutes: policy.idleTimeoutMinutes,
        absoluteTimeoutHours: policy.absoluteTimeoutMinutes / 60,
        passwordMinLength: policy.passwordMinLength,
      }),
      labels: LABELS,
      canManage: ctx.permissions.has('kernel.settings.manage'),
    })
  }

  async update(ctx: HttpContext) {
    const input = await validateForm<{ idleTimeoutMinutes: number; absoluteTimeoutHours: number; passwordMinLength: number }>(
      ctx,
      accountPolicyValidator,
      { back: BACK, labels: LABELS }
    )
    if (!input) return
    if (input.absoluteTimeoutHours * 60 < input.idleTimeoutMinutes) {
      return refuseForm(ctx, { absoluteTimeoutHours: ctx.i18n.t('account.policy_absolute_below_idle') }, BACK)
    }
    await updateAccountPolicy(ctx.tenant!.id, {
      idleTimeoutMinutes: input.idleTimeoutMinutes,
      absoluteTimeoutMinutes: input.absoluteTimeoutHours * 60,
      passwordMinLength: input.passwordMinLength,
    })
    ctx.session.flash('success', ctx.i18n.t('account.policy_saved'))
    return ctx.response.redirect(BACK)
  }
}
