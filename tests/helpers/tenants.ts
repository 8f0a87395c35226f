/*
| Test harness for tenants: create isolated tenants with users of each role, run code inside a
| tenant context, and build request hosts.
*/
import { randomBytes } from 'node:crypto'
import Tenant from '#models/tenant'
import Role from '#models/role'
import User from '#models/user'
import plugins from '#kernel/plugin_service'
import { createTenant } from '#services/tenant_service'
import { tenantContext } from '#tenancy/tenant_context'

export const PASSWORD = 'correct-horse-battery-staple'

export interface TestTenant {
  tenant: Tenant
  owner: User
  host: string
  user(role: 'owner' | 'admin' | 'accountant' | 'staff' | 'viewer'): Promise<User>
  run<T>(fn: () => Promise<T>): Promise<T>
}

export function uniqueSlug(prefix = 't') {
  return `${prefix}-${randomBytes(4).toString('hex')}`
}

export function hostFor(tenant: { slug: string }) {
  return `${tenant.slug}.localhost`
}

export async function makeTenant(options: { slug?: string; name?: string } = {}): Promise<TestTenant> {
  const slug = options.slug ?? uniqueSlug()
  const { tenant, owner } = await createTenant({
    slug,
    name: options.name ?? `Tenant ${slug}`,
    ownerEmail: `owner@${slug}.test`,
    ownerPassword: PASSWORD,
    ownerName: 'Test Owner',
  })
  const run = async <T>(fn: () => Promise<T>) =>
    tenantContext.run({ tenant, enabledPlugins: await plugins.enabledFor(tenant.id) }, fn)
  return {
    tenant,
    owner,
    host: hostFor(tenant),
    run,
    async user(role) {
      if (role === 'owner') return owner
      const r = await Role.forTenant(tenant.id).where('key', role).firstOrFail()
      const existing = await User.forTenant(tenant.id).where('role_id', r.id).first()
      if (existing) return existing
      return User.create({
        tenantId: tenant.id,
        email: `${role}@${slug}.test`,
        fullName: `Test ${role}`,
        password: PASSWORD,
        roleId: r.id,
        status: 'active',
      })
    },
  }
}
