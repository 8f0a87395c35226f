/* Permissions the kernel itself checks; plugins add theirs through their manifests. */
import type { PermissionDefinition } from '#kernel/plugin_manifest'

export const KERNEL_PERMISSIONS: Record<string, PermissionDefinition> = {
  'kernel.dashboard.view': { label: 'permissions.kernel.dashboard.view', roles: ['admin', 'accountant', 'staff', 'viewer'] },
  'kernel.settings.view': { label: 'permissions.kernel.settings.view', roles: ['admin', 'accountant'] },
  'kernel.settings.manage': { label: 'permissions.kernel.settings.manage', roles: ['admin'] },
  'kernel.users.view': { label: 'permissions.kernel.users.view', roles: ['admin', 'accountant', 'staff'] },
  'kernel.users.manage': { label: 'permissions.kernel.users.manage', roles: ['admin'] },
  'kernel.roles.manage': { label: 'permissions.kernel.roles.manage', roles: ['admin'] },
  'kernel.plugins.manage': { label: 'permissions.kernel.plugins.manage', roles: ['admin'] },
  'kernel.tokens.manage': { label: 'permissions.kernel.tokens.manage', roles: ['admin', 'accountant', 'staff'] },
  'kernel.jobs.manage': { label: 'permissions.kernel.jobs.manage', roles: ['admin'] },
  'kernel.webhooks.manage': { label: 'permissions.kernel.webhooks.manage', roles: ['admin'] },
  'kernel.files.view': { label: 'permissions.kernel.files.view', roles: ['admin', 'accountant', 'staff', 'viewer'] },
  'kernel.files.manage': { label: 'permissions.kernel.files.manage', roles: ['admin', 'accountant', 'staff'] },
  'kernel.audit.view': { label: 'permissions.kernel.audit.view', roles: ['admin', 'accountant'] },
}
