/*
| The roles × permissions matrix: which permission each role of the tenant holds, limited to
| the kernel and the plugins enabled for the tenant. Owners hold everything and are not edited.
*/
import db from '@adonisjs/lucid/services/db'
import Role from '#models/role'
import RolePermission from '#models/role_permission'
import plugins from '#kernel/plugin_service'
import { ROLE_ORDER } from '#services/access_service'
import { audit } from '#services/audit_service'
import { DomainError } from '#exceptions/domain_errors'

export interface PermissionGroup {
  plugin: string
  /** i18n key (kernel) or the plugin's name */
  label: string
  permissions: Array<{ key: string; label: string }>
}

export function visiblePermissions(enabledPlugins: Set<string>) {
  return plugins.permissionCatalogue().filter((p) => p.plugin === 'kernel' || enabledPlugins.has(p.plugin))
}

export function permissionGroups(enabledPlugins: Set<string>): PermissionGroup[] {
  const groups = new Map<string, PermissionGroup>()
  for (const entry of visiblePermissions(enabledPlugins)) {
    let group = groups.get(entry.plugin)
    if (!group) {
      const label = entry.plugin === 'kernel' ? 'settings.roles_group_kernel' : (plugins.get(entry.plugin)?.manifest.name ?? entry.plugin)
      group = { plugin: entry.plugin, label, permissions: [] }
      groups.set(entry.plugin, group)
    }
    group.permissions.push({ key: entry.key, label: entry.label })
  }
  return [...groups.values()]
}

function rank(role: Role) {
  const index = (ROLE_ORDER as readonly string[]).indexOf(role.key)
  return index === -1 ? ROLE_ORDER.length : index
}

export async function orderedRoles() {
  const roles = await Role.query().orderBy('id', 'asc')
  return roles.sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name))
}

export async function roleMatrix(enabledPlugins: Set<string>) {
  const groups = permissionGroups(enabledPlugins)
  const all = groups.flatMap((g) => g.permissions.map((p) => p.key))
  const roles = await orderedRoles()
  const grants = await RolePermission.query().select('role_id', 'permission')
  const byRole = new Map<number, Set<string>>()
  for (const grant of grants) {
    if (!byRole.has(grant.roleId)) byRole.set(grant.roleId, new Set())
    byRole.get(grant.roleId)!.add(grant.permission)
  }
  return {
    groups,
    roles: roles.map((role) => ({
      role,
      fixed: role.key === 'owner',
      granted: role.key === 'owner' ? new Set(all) : (byRole.get(role.id) ?? new Set<string>()),
    })),
  }
}

export class OwnerRoleFixedError extends DomainError {
  constructor() {
    super('The owner role always holds every permission', {
      code: 'E_OWNER_ROLE_FIXED',
      status: 409,
      messageKey: 'settings.roles_owner_fixed',
    })
  }
}

/**
 * Sets what a role holds among the permissions shown in the matrix. Grants of permissions the
 * matrix does not show (plugins turned off for the tenant) are left alone, so turning a plugin
 * back on restores them. Unknown keys are ignored.
 */
export async function updateRolePermissions(role: Role, requested: string[], enabledPlugins: Set<string>) {
  if (role.key === 'owner') throw new OwnerRoleFixedError()
  const visible = new Set(visiblePermissions(enabledPlugins).map((p) => p.key))
  const wanted = new Set(requested.filter((key) => visible.has(key)))
  const { before, added, removed } = await db.transaction(async (trx) => {
    const current = (await RolePermission.query({ client: trx }).where('role_id', role.id)).map((r) => r.permission)
    const shown = current.filter((key) => visible.has(key))
    const removedKeys = shown.filter((key) => !wanted.has(key))
    const addedKeys = [...wanted].filter((key) => !current.includes(key))
    if (removedKeys.length) {
      await RolePermission.query({ client: trx }).where('role_id', role.id).whereIn('permission', removedKeys).delete()
    }
    if (addedKeys.length) {
      await RolePermission.createMany(
        addedKeys.map((permission) => ({ roleId: role.id, permission })),
        { client: trx }
      )
    }
    return { before: shown.sort(), added: addedKeys, removed: removedKeys }
  })
  if (added.length || removed.length) {
    await audit({
      action: 'role.permissions_updated',
      subjectType: 'role',
      subjectId: role.id,
      before: { role: role.key, permissions: before },
      after: { role: role.key, permissions: [...wanted].sort() },
    })
  }
  return { added, removed }
}
