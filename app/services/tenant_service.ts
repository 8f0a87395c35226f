/*
| Creating tenants: the row, its system roles with default permissions, its owner, default
| plugins enabled, and the `tenant.created` hook.
*/
import db from '@adonisjs/lucid/services/db'
import vine from '@vinejs/vine'
import Tenant from '#models/tenant'
import Role from '#models/role'
import User from '#models/user'
import hooks from '#kernel/hooks'
import plugins from '#kernel/plugin_service'
import { ROLE_KEYS } from '#kernel/plugin_manifest'
import { tenantContext } from '#tenancy/tenant_context'
import { audit } from '#services/audit_service'
import { DEFAULT_THEME } from '#theming/theme'
import { newPasswordField } from '#services/password_policy_rule'

export const RESERVED_SLUGS = ['www', 'app', 'api', 'admin', 'platform', 'mail', 'static', 'assets']

export const createTenantValidator = vine.create(
  vine.object({
    slug: vine
      .string()
      .trim()
      .toLowerCase()
      .minLength(2)
      .maxLength(63)
      .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/)
      .notIn(RESERVED_SLUGS)
      .unique({ table: 'tenants', column: 'slug' }),
    name: vine.string().trim().minLength(1).maxLength(200),
    ownerEmail: vine.string().trim().toLowerCase().email().maxLength(254),
    ownerPassword: newPasswordField({ confirmed: false }),
    ownerName: vine.string().trim().maxLength(200).optional(),
    locale: vine.enum(['en', 'de']).optional(),
  })
)

export interface CreateTenantInput {
  slug: string
  name: string
  ownerEmail: string
  ownerPassword: string
  ownerName?: string
  locale?: 'en' | 'de'
}

const ROLE_NAMES: Record<string, string> = {
  owner: 'Owner',
  admin: 'Admin',
  accountant: 'Accountant',
  staff: 'Staff',
  viewer: 'Viewer',
}

export async function createTenant(input: CreateTenantInput) {
  const { tenant, owner } = await db.transaction(async (trx) => {
    const tenant = await Tenant.create(
      {
        slug: input.slug,
        name: input.name,
        status: 'active',
        locale: input.locale ?? 'en',
        timezone: 'UTC',
        currency: 'EUR',
        profile: {},
        theme: { ...DEFAULT_THEME },
      },
      { client: trx }
    )
    const catalogue = plugins.permissionCatalogue()
    const roles: Record<string, Role> = {}
    for (const key of ROLE_KEYS) {
      roles[key] = await Role.create(
        { tenantId: tenant.id, key, name: ROLE_NAMES[key], isSystem: true },
        { client: trx }
      )
      const granted = catalogue.filter((p) => p.roles.includes(key)).map((p) => p.key)
      if (key !== 'owner' && granted.length) {
        await trx.table('role_permissions').multiInsert(
          granted.map((permission) => ({ tenant_id: tenant.id, role_id: roles[key].id, permission }))
        )
      }
    }
    const owner = await User.create(
      {
        tenantId: tenant.id,
        email: input.ownerEmail,
        fullName: input.ownerName ?? null,
        password: input.ownerPassword,
        roleId: roles.owner.id,
        status: 'active',
      },
      { client: trx }
    )
    return { tenant, owner }
  })

  await plugins.enableDefaults(tenant)
  await tenantContext.run({ tenant, enabledPlugins: await plugins.enabledFor(tenant.id) }, async () => {
    await audit({
      action: 'tenant.created',
      subjectType: 'tenant',
      subjectId: tenant.id,
      after: { slug: tenant.slug, name: tenant.name, owner: owner.email },
      tenantId: tenant.id,
    })
    await hooks.doAction('tenant.created', { tenant }, { tenantId: tenant.id })
    await hooks.doAction('user.created', { user: owner }, { tenantId: tenant.id })
  })
  return { tenant, owner }
}
