/*
| What a user may do: the permissions of their role (owners hold all), narrowed by an API
| token's scopes when the request came with one.
*/
import db from '@adonisjs/lucid/services/db'
import type User from '#models/user'
import plugins from '#kernel/plugin_service'

export const ROLE_ORDER = ['owner', 'admin', 'accountant', 'staff', 'viewer'] as const

export function scopeMatches(scope: string, permission: string) {
  if (scope === '*' || scope === permission) return true
  if (scope.endsWith('.*')) return permission.startsWith(scope.slice(0, -1))
  return false
}

export async function roleKeyOf(user: User) {
  const role = await db.from('roles').where('id', user.roleId).select('key').first()
  return (role?.key as string) ?? 'viewer'
}

/** Permissions the user's role grants, restricted to plugins enabled for the tenant */
export async function permissionsOf(user: User, enabledPlugins: Set<string>): Promise<Set<string>> {
  const roleKey = await roleKeyOf(user)
  const catalogue = plugins
    .permissionCatalogue()
    .filter((p) => p.plugin === 'kernel' || enabledPlugins.has(p.plugin))
  if (roleKey === 'owner') return new Set(catalogue.map((p) => p.key))
  const granted = new Set(
    (
      await db
        .from('role_permissions')
        .where({ role_id: user.roleId, tenant_id: user.tenantId })
        .select('permission')
    ).map((r: { permission: string }) => r.permission)
  )
  return new Set(catalogue.filter((p) => granted.has(p.key)).map((p) => p.key))
}

export function narrowByScopes(permissions: Set<string>, scopes: string[]) {
  return new Set([...permissions].filter((perm) => scopes.some((s) => scopeMatches(s, perm))))
}
