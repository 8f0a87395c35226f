import type { HttpContext } from '@adonisjs/core/http'
import vine from '@vinejs/vine'
import db from '@adonisjs/lucid/services/db'
import User from '#models/user'
import AuditLog from '#models/audit_log'
import { dashboardWidgets } from '#services/shell_service'
import { NotFoundError } from '#exceptions/domain_errors'

const themeModeValidator = vine.create(vine.object({ mode: vine.enum(['light', 'dark', 'auto'] as const) }))

/** The dashboard shell: widgets come from the `dashboard.widgets` hook and load lazily */
export default class DashboardController {
  async index(ctx: HttpContext) {
    const widgets = await dashboardWidgets(ctx)
    return ctx.view.render('pages/dashboard', { widgets })
  }

  /** Kernel widgets; plugin widgets are served by the plugin's own routes */
  async widget(ctx: HttpContext) {
    const { params, view, permissions } = ctx
    switch (params.id) {
      case 'welcome':
        return view.render('partials/widgets/welcome', {
          enabledCount: ctx.enabledPlugins.size,
        })
      case 'team': {
        if (!permissions.has('kernel.users.view')) throw new NotFoundError()
        const rows = await db
          .from('users')
          .join('roles', 'roles.id', 'users.role_id')
          .where('users.tenant_id', ctx.tenant!.id)
          .groupBy('roles.key')
          .select('roles.key')
          .count('* as total')
        const total = await User.query().count('* as total')
        return view.render('partials/widgets/team', {
          byRole: rows.map((r: any) => ({ key: r.key, total: Number(r.total) })),
          total: Number(total[0].$extras.total),
        })
      }
      case 'activity': {
        if (!permissions.has('kernel.audit.view')) throw new NotFoundError()
        const entries = await AuditLog.query().orderBy('id', 'desc').limit(8)
        return view.render('partials/widgets/activity', { entries })
      }
      default:
        throw new NotFoundError()
    }
  }

  /** Light/dark/auto is remembered per browser session; the page toggles it without a reload */
  async themeMode({ request, session, response }: HttpContext) {
    const { mode } = await request.validateUsing(themeModeValidator)
    session.put('themeMode', mode)
    return response.redirect().back()
  }
}
