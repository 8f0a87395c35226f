import type { HttpContext } from '@adonisjs/core/http'
import { ROLE_ORDER, roleKeyOf } from '#services/access_service'
import { requiredRoles, setRequiredRoles } from '#services/two_factor_service'
import { twoFactorRolesValidator } from '#validators/two_factor'
import { validateForm } from '#controllers/settings/form_support'
import { ForbiddenError } from '#exceptions/domain_errors'

const PAGE = '/app/settings/security'

/**
 * The tenant's security settings page (/app/settings/security). Each section is a partial
 * (pages/account/security_settings_<section>.edge) with its own form and POST action here;
 * `edit` gathers the data of every section.
 */
export default class SecuritySettingsController {
  async edit(ctx: HttpContext) {
    const roles = await requiredRoles(ctx.tenant!.id)
    const isOwner = (await roleKeyOf(ctx.auth.use('web').user!)) === 'owner'
    return ctx.view.render('pages/account/security_settings', {
      twoFactor: {
        roles: ROLE_ORDER.map((key) => ({ key, checked: roles.includes(key) })),
        canManage: isOwner,
      },
    })
  }

  /** Which roles must use two-factor authentication: the owners' decision */
  async updateTwoFactor(ctx: HttpContext) {
    if ((await roleKeyOf(ctx.auth.use('web').user!)) !== 'owner') throw new ForbiddenError()
    const input = await validateForm<{ roles?: string[] }>(ctx, twoFactorRolesValidator, {
      back: PAGE,
      data: { roles: [ctx.request.input('roles') ?? []].flat() },
    })
    if (!input) return
    await setRequiredRoles(ctx.tenant!, input.roles ?? [])
    ctx.session.flash('success', ctx.i18n.t('security.settings_saved'))
    return ctx.response.redirect(PAGE)
  }
}
