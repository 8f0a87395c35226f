/*
| The plugin manifest: what a plugin declares in plugins/<id>/plugin.ts via definePlugin().
*/
import semver from 'semver'
import type { ApplicationService } from '@adonisjs/core/types'
import type Tenant from '#models/tenant'
import type { HookRegistry } from '#kernel/hook_registry'
import type { OpenApiDocument } from '#kernel/hooks'
import type { JobContext } from '#jobs/types'

export type RoleKey = 'owner' | 'admin' | 'accountant' | 'staff' | 'viewer'
export const ROLE_KEYS: RoleKey[] = ['owner', 'admin', 'accountant', 'staff', 'viewer']

export interface PermissionDefinition {
  label: string
  /** roles granted this permission when it first appears (owner always has everything) */
  roles?: RoleKey[]
}

export type SettingField =
  | { type: 'string'; label: string; default?: string; maxLength?: number; help?: string }
  | { type: 'text'; label: string; default?: string; maxLength?: number; help?: string }
  | { type: 'number'; label: string; default?: number; min?: number; max?: number; help?: string }
  | { type: 'boolean'; label: string; default?: boolean; help?: string }
  | { type: 'select'; label: string; default?: string; options: string[]; help?: string }

export interface JobDefinition {
  handler: () => Promise<{ default: (payload: { tenantId: number } & Record<string, unknown>, ctx: JobContext) => Promise<void> }>
  /** cron expression, for scheduled jobs */
  schedule?: string
}

export interface PluginContext {
  app: ApplicationService
  hooks: HookRegistry
  /** absolute path of the plugin's folder */
  root: string
  manifest: PluginManifest
}

/** Route files register synchronously so the kernel's prefix and gates apply */
export type RoutesModule = { default: (ctx: PluginContext) => void }
export type OpenApiModule = { default: Partial<OpenApiDocument> }

export interface PluginManifest {
  /** snake_case id: also its Edge disk, route-name, table, permission and job prefix */
  id: string
  name: string
  version: string
  description?: string
  /** semver range of the kernel this plugin works with */
  kernel: string
  /** other plugin ids with semver ranges */
  dependsOn?: Record<string, string>
  /** enabled for new tenants unless false */
  enabledByDefault?: boolean
  /** folders relative to the plugin root (defaults shown) */
  paths?: { migrations?: string; views?: string; lang?: string }
  /** web routes, mounted under /app/<plugin-kebab> */
  routes?: () => Promise<RoutesModule>
  /** API routes, mounted under /api/v1 */
  api?: () => Promise<RoutesModule>
  /**
   * Routes on the tenant host without sign-in (public document links, inbound provider webhooks),
   * mounted at the root behind the tenant and plugin-enabled gates. By convention pages live
   * under /p/<plugin-kebab>/ and inbound webhooks under /webhooks/<provider>.
   */
  publicRoutes?: () => Promise<RoutesModule>
  openapi?: () => Promise<OpenApiModule>
  permissions?: Record<string, PermissionDefinition>
  settings?: Record<string, SettingField>
  jobs?: Record<string, JobDefinition>
  /** declare only: no database */
  register?: (ctx: PluginContext) => void | Promise<void>
  /** tap hooks, bind services */
  boot?: (ctx: PluginContext) => void | Promise<void>
  /** seed defaults and schedules for a tenant; never deletes data */
  onEnable?: (tenant: Tenant, ctx: PluginContext) => void | Promise<void>
  onDisable?: (tenant: Tenant, ctx: PluginContext) => void | Promise<void>
  shutdown?: (ctx: PluginContext) => void | Promise<void>
}

const ID = /^[a-z][a-z0-9_]*$/
const SEGMENT = '[a-z][a-z0-9_]*'

/** Validates what can be checked without the other plugins; the loader checks the rest */
export function definePlugin(manifest: PluginManifest): PluginManifest {
  if (!ID.test(manifest.id)) {
    throw new Error(`Plugin id "${manifest.id}" must be snake_case (a-z, 0-9, _)`)
  }
  const fail = (message: string) => {
    throw new Error(`Plugin "${manifest.id}": ${message}`)
  }
  if (!semver.valid(manifest.version)) fail(`version "${manifest.version}" is not a semver version`)
  for (const [dep, range] of Object.entries(manifest.dependsOn ?? {})) {
    if (!ID.test(dep)) fail(`dependency "${dep}" is not a plugin id`)
    if (!semver.validRange(range)) fail(`dependency "${dep}" has no valid semver range ("${range}")`)
  }
  const permission = new RegExp(`^${manifest.id}\\.${SEGMENT}\\.${SEGMENT}$`)
  for (const [key, def] of Object.entries(manifest.permissions ?? {})) {
    if (!permission.test(key)) fail(`permission "${key}" must be named ${manifest.id}.<resource>.<verb>`)
    for (const role of def.roles ?? []) {
      if (!ROLE_KEYS.includes(role)) fail(`permission "${key}" names unknown role "${role}"`)
    }
  }
  for (const [key, field] of Object.entries(manifest.settings ?? {})) {
    if (field.type === 'select' && field.default !== undefined && !field.options.includes(field.default)) {
      fail(`setting "${key}" defaults to "${field.default}", which is not one of its options`)
    }
  }
  const job = new RegExp(`^${manifest.id}:${SEGMENT}$`)
  for (const key of Object.keys(manifest.jobs ?? {})) {
    if (!job.test(key)) fail(`job "${key}" must be named ${manifest.id}:<verb_noun>`)
  }
  return manifest
}

export function kebab(id: string) {
  return id.replace(/_/g, '-')
}
