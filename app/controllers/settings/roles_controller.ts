import type { HttpContext } from '@adonisjs/core/http'
import { roleMatrix, updateRolePermissions, OwnerRoleFixedError } from '#services/role_service'
import { findRole } from '#services/user_admin_service'
import { updateRolePermissionsValidator } from '#validators/role'
import { validateForm } from '#controllers/settings/form_support'

const BACK = '/app/settings/roles'

/** The roles × permissions matrix, saved one role at a time */
export default class RolesController {
  async index(ctx: HttpContext) {
    const matrix = await roleMatrix(ctx.enabledPlugins)
    return ctx.view.render('pages/settings/roles', matrix)
  }

  async update(ctx: HttpContext) {
    const role = await findRole(Number(ctx.params.id))
    const input = await validateForm<{ permissions?: string[] }>(ctx, updateRolePermissionsValidator, {
      back: BACK,
      labels: { permissions: 'settings.roles_permissions' },
    })
    if (!input) return
    const name = ctx.i18n.hasMessage(`roles.${role.key}`) ? ctx.i18n.t(`roles.${role.key}`) : role.name
    try {
      await updateRolePermissions(role, input.permissions ?? [], ctx.enabledPlugins)
    } catch (error) {
      if (!(error instanceof OwnerRoleFixedError)) throw error
      ctx.session.flash('error', ctx.i18n.t('settings.roles_owner_fixed'))
      return ctx.response.redirect(BACK)
    }
    ctx.session.flash('success', ctx.i18n.t('settings.roles_saved', { role: name }))
    return ctx.response.redirect(`${BACK}#role-${role.id}`)
  }
}
