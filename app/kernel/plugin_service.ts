/*
| The kernel's view of plugins at run time: the loaded list, per-tenant enablement (the four
| gates read it), permission catalogue sync and plugin settings.
*/
import db from '@adonisjs/lucid/services/db'
import logger from '@adonisjs/core/services/logger'
import { DateTime } from 'luxon'
import vine from '@vinejs/vine'
import { PluginLoader, type LoadedPlugin } from '#kernel/plugin_loader'
import type { PluginManifest, SettingField } from '#kernel/plugin_manifest'
import { tenantContext } from '#tenancy/tenant_context'
import type Tenant from '#models/tenant'
import hooks from '#kernel/hooks'
import { KERNEL_PERMISSIONS } from '#kernel/permissions'

export class PluginNotFoundError extends Error {
  code = 'E_PLUGIN_NOT_FOUND'
  status = 404
  constructor(id: string) {
    super(`Plugin "${id}" is not installed`)
  }
}

class PluginService {
  loader = new PluginLoader((manifest, root) => ({
    app: undefined as any,
    hooks,
    root,
    manifest,
  }))

  list(): LoadedPlugin[] {
    return this.loader.list()
  }

  ids() {
    return this.loader.ids()
  }

  get(id: string) {
    return this.loader.get(id)
  }

  require(id: string) {
    const plugin = this.get(id)
    if (!plugin) throw new PluginNotFoundError(id)
    return plugin
  }

  /** Enabled plugin ids of a tenant: rows in plugin_installations, else the manifest default */
  async enabledFor(tenantId: number): Promise<Set<string>> {
    const rows: Array<{ plugin_id: string; enabled: boolean | number }> = await db
      .from('plugin_installations')
      .where('tenant_id', tenantId)
      .select('plugin_id', 'enabled')
    const explicit = new Map(rows.map((r) => [r.plugin_id, Boolean(r.enabled)]))
    const enabled = new Set<string>()
    for (const { manifest } of this.list()) {
      const on = explicit.get(manifest.id) ?? manifest.enabledByDefault !== false
      const depsOn = Object.keys(manifest.dependsOn ?? {}).every((dep) => enabled.has(dep))
      if (on && depsOn) enabled.add(manifest.id)
    }
    return enabled
  }

  /** The gate used by hooks and jobs: request scope when present, else a fresh read */
  async isEnabled(pluginId: string, tenantId?: number | null) {
    const scope = tenantContext.current()
    if (scope && (tenantId === undefined || tenantId === null || scope.tenant.id === tenantId)) {
      return scope.enabledPlugins.has(pluginId)
    }
    if (!tenantId) return false
    return (await this.enabledFor(tenantId)).has(pluginId)
  }

  async setEnabled(tenant: Tenant, pluginId: string, enabled: boolean) {
    const plugin = this.require(pluginId)
    const current = await this.enabledFor(tenant.id)
    if (enabled) {
      for (const dep of Object.keys(plugin.manifest.dependsOn ?? {})) {
        if (!current.has(dep)) {
          throw new PluginDependencyError(pluginId, `needs "${dep}" enabled first`)
        }
      }
    } else {
      const dependents = this.list().filter(
        (p) => current.has(p.manifest.id) && Object.keys(p.manifest.dependsOn ?? {}).includes(pluginId)
      )
      if (dependents.length) {
        throw new PluginDependencyError(
          pluginId,
          `is needed by ${dependents.map((d) => `"${d.manifest.id}"`).join(', ')}; disable those first`
        )
      }
    }
    const existing = await db
      .from('plugin_installations')
      .where({ tenant_id: tenant.id, plugin_id: pluginId })
      .first()
    const now = DateTime.utc().toSQL({ includeOffset: false })
    if (existing) {
      await db
        .from('plugin_installations')
        .where('id', existing.id)
        .update({ enabled, updated_at: now })
    } else {
      await db.table('plugin_installations').insert({
        tenant_id: tenant.id,
        plugin_id: pluginId,
        enabled,
        settings: '{}',
        created_at: now,
        updated_at: now,
      })
    }
    const scope = { tenant, enabledPlugins: await this.enabledFor(tenant.id) }
    await tenantContext.run(scope, async () => {
      if (enabled) {
        await plugin.manifest.onEnable?.(tenant, plugin.ctx)
        await hooks.doAction('plugin.enabled', { tenant, pluginId }, { tenantId: tenant.id })
      } else {
        await plugin.manifest.onDisable?.(tenant, plugin.ctx)
        await hooks.doAction('plugin.disabled', { tenant, pluginId }, { tenantId: tenant.id })
      }
    })
  }

  /** Runs onEnable of every default-enabled plugin for a new tenant */
  async enableDefaults(tenant: Tenant) {
    const enabled = await this.enabledFor(tenant.id)
    await tenantContext.run({ tenant, enabledPlugins: enabled }, async () => {
      for (const p of this.list()) {
        if (enabled.has(p.manifest.id)) await p.manifest.onEnable?.(tenant, p.ctx)
      }
    })
  }

  /** Every permission: kernel ones first, then each plugin's in load order */
  permissionCatalogue() {
    const entries: Array<{ key: string; plugin: string; label: string; roles: string[] }> = []
    for (const [key, def] of Object.entries(KERNEL_PERMISSIONS)) {
      entries.push({ key, plugin: 'kernel', label: def.label, roles: def.roles ?? [] })
    }
    for (const { manifest } of this.list()) {
      for (const [key, def] of Object.entries(manifest.permissions ?? {})) {
        entries.push({ key, plugin: manifest.id, label: def.label, roles: def.roles ?? [] })
      }
    }
    return entries
  }

  /**
   * Syncs the permission catalogue table. A permission seen for the first time is granted to
   * the roles its manifest names, in every tenant (owners hold every permission implicitly).
   */
  async syncPermissions() {
    const existing = new Set(
      (await db.from('permissions').select('key')).map((r: { key: string }) => r.key)
    )
    const now = DateTime.utc().toSQL({ includeOffset: false })
    for (const entry of this.permissionCatalogue()) {
      if (existing.has(entry.key)) {
        await db.from('permissions').where('key', entry.key).update({ label: entry.label, plugin: entry.plugin })
        continue
      }
      await db.table('permissions').insert({ key: entry.key, plugin: entry.plugin, label: entry.label, created_at: now })
      if (entry.roles.length) {
        const roles = await db.from('roles').whereIn('key', entry.roles).select('id', 'tenant_id')
        /* A lost catalogue row must not trip over the grants that survived it */
        const held = new Set(
          (await db.from('role_permissions').where('permission', entry.key).select('role_id')).map(
            (r: { role_id: number }) => r.role_id
          )
        )
        const missing = roles.filter((role) => !held.has(role.id))
        /* In chunks: SQLite refuses a multi-row insert of more than 500 rows (many tenants) */
        for (let i = 0; i < missing.length; i += 200) {
          await db.table('role_permissions').multiInsert(
            missing.slice(i, i + 200).map((role) => ({ tenant_id: role.tenant_id, role_id: role.id, permission: entry.key }))
          )
        }
      }
    }
    logger.debug('permission catalogue synced')
  }

  settingsFields(pluginId: string): Record<string, SettingField> {
    return this.require(pluginId).manifest.settings ?? {}
  }

  settingsDefaults(manifest: PluginManifest) {
    const out: Record<string, unknown> = {}
    for (const [key, field] of Object.entries(manifest.settings ?? {})) {
      out[key] = field.default ?? (field.type === 'boolean' ? false : null)
    }
    return out
  }

  async settingsFor(tenantId: number, pluginId: string) {
    const plugin = this.require(pluginId)
    const row = await db
      .from('plugin_installations')
      .where({ tenant_id: tenantId, plugin_id: pluginId })
      .first()
    const stored = row ? JSON.parse(row.settings || '{}') : {}
    return { ...this.settingsDefaults(plugin.manifest), ...stored }
  }

  /** A VineJS validator built from the manifest's typed fields */
  settingsValidator(pluginId: string) {
    const shape: Record<string, any> = {}
    for (const [key, field] of Object.entries(this.settingsFields(pluginId))) {
      switch (field.type) {
        case 'string':
        case 'text':
          shape[key] = vine.string().trim().maxLength(field.maxLength ?? (field.type === 'text' ? 5000 : 255)).optional()
          break
        case 'number': {
          let rule = vine.number()
          if (field.min !== undefined) rule = rule.min(field.min)
          if (field.max !== undefined) rule = rule.max(field.max)
          shape[key] = rule
          break
        }
        case 'boolean':
          shape[key] = vine.boolean().optional()
          break
        case 'select':
          shape[key] = vine.enum(field.options)
          break
      }
    }
    return vine.create(vine.object(shape))
  }

  async saveSettings(tenantId: number, pluginId: string, values: Record<string, unknown>) {
    const fields = this.settingsFields(pluginId)
    const clean: Record<string, unknown> = {}
    for (const [key, field] of Object.entries(fields)) {
      clean[key] = field.type === 'boolean' ? Boolean(values[key]) : (values[key] ?? null)
    }
    const now = DateTime.utc().toSQL({ includeOffset: false })
    const existing = await db
      .from('plugin_installations')
      .where({ tenant_id: tenantId, plugin_id: pluginId })
      .first()
    if (existing) {
      await db
        .from('plugin_installations')
        .where('id', existing.id)
        .update({ settings: JSON.stringify(clean), updated_at: now })
    } else {
      const plugin = this.require(pluginId)
      await db.table('plugin_installations').insert({
        tenant_id: tenantId,
        plugin_id: pluginId,
        enabled: plugin.manifest.enabledByDefault !== false,
        settings: JSON.stringify(clean),
        created_at: now,
        updated_at: now,
      })
    }
    return clean
  }
}

export class PluginDependencyError extends Error {
  code = 'E_PLUGIN_DEPENDENCY'
  status = 409
  constructor(id: string, message: string) {
    super(`Plugin "${id}" ${message}`)
  }
}

const plugins = new PluginService()
hooks.options.isEnabled = (plugin, meta) => plugins.isEnabled(plugin, meta.tenantId)
hooks.options.loadOrder = () => plugins.ids()

export default plugins
