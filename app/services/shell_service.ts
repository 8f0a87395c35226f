/*
| Builds what the page shell shows from hooks: the main navigation and the dashboard widgets,
| filtered by the viewer's permissions and sorted.
*/
import type { HttpContext } from '@adonisjs/core/http'
import hooks, { type NavItem, type DashboardWidget, type SettingsSection } from '#kernel/hooks'

function allowed<T extends { permission?: string; order?: number }>(items: T[], permissions: Set<string>) {
  return items
    .filter((i) => !i.permission || permissions.has(i.permission))
    .sort((a, b) => (a.order ?? 100) - (b.order ?? 100))
}

export async function mainNav(ctx: HttpContext): Promise<NavItem[]> {
  const items = await hooks.applyFilters('nav.main', [], { tenantId: ctx.tenant?.id ?? null })
  return allowed(items, ctx.permissions).map((item) => ({
    ...item,
    children: item.children ? allowed(item.children, ctx.permissions) : undefined,
  }))
}

export async function dashboardWidgets(ctx: HttpContext): Promise<DashboardWidget[]> {
  const widgets = await hooks.applyFilters('dashboard.widgets', [], { tenantId: ctx.tenant?.id ?? null })
  return allowed(widgets, ctx.permissions)
}

export async function settingsSections(ctx: HttpContext): Promise<SettingsSection[]> {
  const sections = await hooks.applyFilters('settings.sections', [], { tenantId: ctx.tenant?.id ?? null })
  return allowed(sections, ctx.permissions)
}
