/*
| What the platform-admin area does with tenants: list them with their user counts, create
| them (through tenant_service), suspend and reactivate them. Each change is recorded in the
| tenant's own audit log with the operator as actor.
*/
import db from '@adonisjs/lucid/services/db'
import Tenant from '#models/tenant'
import { createTenant, type CreateTenantInput } from '#services/tenant_service'
import { audit, type AuditEntry } from '#services/audit_service'
import type { PlatformActor } from '#services/tenant_domain_service'

const actorOf = (admin: PlatformActor) => ({ type: 'platform' as const, id: admin.id, label: admin.email })

/* Aggregates over users are platform data (counts only), so they bypass the tenant scope */
export async function listTenants(page: number, perPage = 50) {
  const tenants = await Tenant.query().orderBy('created_at', 'desc').orderBy('id', 'desc').paginate(page, perPage)
  const ids = tenants.all().map((t) => t.id)
  const counts = ids.length
    ? await db.from('users').whereIn('tenant_id', ids).groupBy('tenant_id').select('tenant_id').count('* as total')
    : []
  const byTenant = new Map(counts.map((row: any) => [Number(row.tenant_id), Number(row.total)]))
  return { tenants, userCounts: byTenant }
}

export async function userCount(tenant: Tenant) {
  const [row] = await db.from('users').where('tenant_id', tenant.id).count('* as total')
  return Number(row.total)
}

/** Creates a tenant on an operator's behalf (platform area or CLI), recorded with that actor */
export async function createTenantAsPlatform(input: CreateTenantInput, actor: PlatformActor | AuditEntry['actor']) {
  const created = await createTenant(input)
  await audit({
    tenantId: created.tenant.id,
    action: 'platform.tenant_created',
    subjectType: 'tenant',
    subjectId: created.tenant.id,
    after: { slug: created.tenant.slug, name: created.tenant.name, owner: created.owner.email },
    actor: actor && 'type' in actor ? actor : actorOf(actor as PlatformActor),
  })
  return created
}

export async function setTenantStatus(tenant: Tenant, status: Tenant['status'], admin: PlatformActor) {
  if (tenant.status === status) return tenant
  const before = { status: tenant.status }
  tenant.status = status
  await tenant.save()
  await audit({
    tenantId: tenant.id,
    action: status === 'suspended' ? 'platform.tenant_suspended' : 'platform.tenant_reactivated',
    subjectType: 'tenant',
    subjectId: tenant.id,
    before,
    after: { status },
    actor: actorOf(admin),
  })
  return tenant
}
