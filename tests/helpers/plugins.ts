/*
| Test harness for plugins: API tokens, per-tenant enablement, and reading what the page shell
| rendered from hooks (navigation entries, dashboard widgets, slot items).
*/
import User from '#models/user'
import plugins from '#kernel/plugin_service'
import type { TestTenant } from '#tests/helpers/tenants'

/** A bearer token value for the user, with the given scopes (all by default) */
export async function apiToken(user: User, scopes: string[] = ['*']) {
  const token = await User.accessTokens.create(user, scopes)
  return token.value!.release()
}

export function enablePlugin(t: TestTenant, pluginId: string) {
  return plugins.setEnabled(t.tenant, pluginId, true)
}

export function disablePlugin(t: TestTenant, pluginId: string) {
  return plugins.setEnabled(t.tenant, pluginId, false)
}

/** Disables the plugin after the enabled plugins that build on it (the kernel refuses to orphan them) */
export async function disablePluginAndDependents(t: TestTenant, pluginId: string) {
  const enabled = await plugins.enabledFor(t.tenant.id)
  for (const p of plugins.list()) {
    if (enabled.has(p.manifest.id) && Object.keys(p.manifest.dependsOn ?? {}).includes(pluginId)) {
      await disablePluginAndDependents(t, p.manifest.id)
    }
  }
  return disablePlugin(t, pluginId)
}

function attributeValues(html: string, attribute: string) {
  return [...html.matchAll(new RegExp(`${attribute}="([^"]+)"`, 'g'))].map((m) => m[1])
}

/** Ids of the main navigation entries in a rendered page */
export const navIds = (html: string) => attributeValues(html, 'data-nav-id')

/** Ids of the dashboard widgets in a rendered page */
export const widgetIds = (html: string) => attributeValues(html, 'data-widget-id')

/** Ids of rendered UI slot items (fixtures mark them with data-slot-item) */
export const slotItemIds = (html: string) => attributeValues(html, 'data-slot-item')
