/*
| The core hook catalogue: the typed names the kernel exposes, their failure modes, and the
| shared registry. Plugins add hooks by augmenting `Actions` / `Filters` in their hooks.ts:
|   declare module '#kernel/hooks' { interface Actions { 'invoice.finalized': {...} } }
*/
import type Tenant from '#models/tenant'
import type User from '#models/user'
import { HookRegistry } from '#kernel/hook_registry'

export interface NavItem {
  /** stable id, e.g. "invoicing.invoices" */
  id: string
  /** i18n key or plain label */
  label: string
  href: string
  icon?: string
  /** permission needed to see it */
  permission?: string
  order?: number
  /** child entries (one level) */
  children?: NavItem[]
}

export interface DashboardWidget {
  id: string
  title: string
  /** URL of the fragment the dashboard loads lazily */
  url: string
  permission?: string
  order?: number
  /** grid span: 1 (third), 2 (two thirds) or 3 (full width) */
  span?: 1 | 2 | 3
}

export interface SlotItem {
  id: string
  /** Edge template to render, e.g. "payments::partials/pay_button" */
  view?: string
  /** or pre-escaped HTML produced by the plugin */
  html?: string
  data?: Record<string, unknown>
  order?: number
}

export interface SettingsSection {
  id: string
  label: string
  href: string
  permission?: string
  order?: number
}

export interface SearchResult {
  title: string
  href: string
  kind: string
}

export interface SearchProvider {
  id: string
  search(query: string, meta: { tenantId: number; userId: number }): Promise<SearchResult[]>
}

export interface NotificationChannel {
  id: string
  label: string
}

export type OpenApiDocument = Record<string, any> & {
  openapi: string
  paths: Record<string, any>
  components?: Record<string, any>
}

export interface AuditRecordedPayload {
  id: number
  tenantId: number | null
  action: string
  subjectType: string | null
  subjectId: string | null
}

export interface Actions {
  'tenant.created': { tenant: Tenant }
  'user.created': { user: User }
  'audit.recorded': AuditRecordedPayload
  'plugin.enabled': { tenant: Tenant; pluginId: string }
  'plugin.disabled': { tenant: Tenant; pluginId: string }
}

export interface Filters {
  'nav.main': NavItem[]
  'nav.portal': NavItem[]
  'dashboard.widgets': DashboardWidget[]
  'settings.sections': SettingsSection[]
  'search.providers': SearchProvider[]
  'api.openapi': OpenApiDocument
  'notifications.channels': NotificationChannel[]
  [slot: `ui.slot.${string}`]: SlotItem[]
}

const hooks = new HookRegistry()

hooks
  .declare('nav.main', { failMode: 'open', timeoutMs: 1000, description: 'Admin navigation entries' })
  .declare('nav.portal', { failMode: 'open', timeoutMs: 1000, description: 'Client portal navigation' })
  .declare('dashboard.widgets', { failMode: 'open', timeoutMs: 1000, description: 'Dashboard widgets' })
  .declare('settings.sections', { failMode: 'open', timeoutMs: 1000, description: 'Settings menu' })
  .declare('search.providers', { failMode: 'open', timeoutMs: 1000, description: 'Global search' })
  .declare('api.openapi', { failMode: 'open', timeoutMs: 2000, description: 'OpenAPI fragments' })
  .declare('notifications.channels', { failMode: 'open', timeoutMs: 1000 })
  .declare('ui.slot.*', { failMode: 'open', timeoutMs: 1000, description: 'Named UI slots' })
  .declare('tenant.created', { failMode: 'closed', timeoutMs: 10000 })
  .declare('user.created', { failMode: 'open', timeoutMs: 5000 })
  .declare('audit.recorded', { failMode: 'open', timeoutMs: 2000 })
  .declare('plugin.enabled', { failMode: 'open', timeoutMs: 5000 })
  .declare('plugin.disabled', { failMode: 'open', timeoutMs: 5000 })

export default hooks
