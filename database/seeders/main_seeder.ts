/*
| Development seed: a platform admin and the demo agency tenant with an owner and a few staff.
| Idempotent: running it again changes nothing.
*/
import { BaseSeeder } from '@adonisjs/lucid/seeders'
import Tenant from '#models/tenant'
import PlatformAdmin from '#models/platform_admin'
import Role from '#models/role'
import User from '#models/user'
import plugins from '#kernel/plugin_service'
import { createTenant } from '#services/tenant_service'
import { tenantContext } from '#tenancy/tenant_context'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

export const DEMO = {
  slug: 'demo',
  name: 'Demo Agency',
  ownerEmail: 'owner@demo.test',
  ownerPassword: 'demo-owner-password',
  platformEmail: 'admin@coderon.local',
  platformPassword: 'platform-admin-password',
}

export default class MainSeeder extends BaseSeeder {
  static environment = ['development', 'test', 'production']

  async run() {
    await plugins.syncPermissions()
    if (!(await PlatformAdmin.findBy('email', DEMO.platformEmail))) {
      await PlatformAdmin.create({
        email: DEMO.platformEmail,
        password: DEMO.platformPassword,
        fullName: 'Platform Admin',
      })
    }
    if (await Tenant.findBy('slug', DEMO.slug)) return
    const { tenant } = await createTenant({
      slug: DEMO.slug,
      name: DEMO.name,
      ownerEmail: DEMO.ownerEmail,
      ownerPassword: DEMO.ownerPassword,
      ownerName: 'Olivia Owner',
    })
    tenant.profile = {
      legalName: 'Demo Agency GmbH',
      addressLine1: 'Hauptstraße 1',
      postalCode: '10115',
      city: 'Berlin',
      country: 'DE',
      vatId: 'DE123456789',
      email: 'hello@demo.test',
    }
    await tenant.save()
    const staff = [
      { email: 'admin@demo.test', name: 'Adam Admin', role: 'admin' },
      { email: 'accountant@demo.test', name: 'Ada Accountant', role: 'accountant' },
      { email: 'staff@demo.test', name: 'Sam Staff', role: 'staff' },
      { email: 'viewer@demo.test', name: 'Vic Viewer', role: 'viewer' },
    ]
    for (const s of staff) {
      const role = await Role.forTenant(tenant.id).where('key', s.role).firstOrFail()
      await User.create({
        tenantId: tenant.id,
        email: s.email,
        fullName: s.name,
        password: 'demo-staff-password',
        roleId: role.id,
        status: 'active',
      })
    }
    await seedPluginDemos(tenant)
  }
}

/* A plugin may ship demo data as database/seeders/demo.ts exporting seedDemo(tenant) */
async function seedPluginDemos(tenant: Tenant) {
  const enabled = await plugins.enabledFor(tenant.id)
  for (const plugin of plugins.list()) {
    if (!enabled.has(plugin.manifest.id)) continue
    const base = join(plugin.ctx.root, 'database', 'seeders', 'demo')
    if (!existsSync(`${base}.ts`) && !existsSync(`${base}.js`)) continue
    const { seedDemo } = await import(pathToFileURL(`${base}.js`).href)
    await tenantContext.run({ tenant, enabledPlugins: enabled }, () => seedDemo(tenant))
  }
}
