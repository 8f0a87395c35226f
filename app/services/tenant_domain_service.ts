/*
| Custom domains of a tenant. A domain is added unverified with a random token; the tenant
| proves control by publishing a TXT record, and only then does the Host resolve to the tenant
| (app/tenancy/tenant_resolver.ts ignores unverified rows).
*/
import { randomBytes } from 'node:crypto'
import { resolveTxt } from 'node:dns/promises'
import { DateTime } from 'luxon'
import vine from '@vinejs/vine'
import env from '#start/env'
import type Tenant from '#models/tenant'
import TenantDomain from '#models/tenant_domain'
import { ConflictError } from '#exceptions/domain_errors'
import { audit } from '#services/audit_service'

export type TxtResolver = (name: string) => Promise<string[][]>
export type PlatformActor = { id: number; email: string }

const systemResolver: TxtResolver = (name) => resolveTxt(name)
let txtResolver: TxtResolver = systemResolver

/** Replaces the DNS lookup (tests); `null` restores the system resolver */
export function useTxtResolver(resolver: TxtResolver | null) {
  txtResolver = resolver ?? systemResolver
}

export const VERIFY_LABEL = '_coderon-verify'

/*
| The record lives on its own label, not on the domain itself: a custom domain is usually a
| CNAME to this install, and a CNAME cannot have other records beside it.
*/
export function verificationRecord(domain: TenantDomain) {
  return { name: `${VERIFY_LABEL}.${domain.domain}`, value: `coderon-verify=${domain.verificationToken}` }
}

const HOSTNAME = /^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/

export const addDomainValidator = vine.create(
  vine.object({
    domain: vine
      .string()
      .trim()
      .toLowerCase()
      .maxLength(253)
      .regex(HOSTNAME)
      .use(
        vine.createRule((value, _, field) => {
          const appDomain = env.get('APP_DOMAIN').toLowerCase()
          const host = String(value)
          if (host === appDomain || host.endsWith(`.${appDomain}`)) {
            field.report('This domain belongs to the platform itself.', 'platformDomain', field)
          }
        })()
      )
      .unique({ table: 'tenant_domains', column: 'domain' }),
  })
)

const actorOf = (admin: PlatformActor) => ({ type: 'platform' as const, id: admin.id, label: admin.email })

export async function addDomain(tenant: Tenant, host: string, admin: PlatformActor) {
  let domain: TenantDomain
  try {
    domain = await TenantDomain.create({
      tenantId: tenant.id,
      domain: host,
      verificationToken: randomBytes(24).toString('hex'),
      verifiedAt: null,
    })
  } catch (error) {
    if (await TenantDomain.findBy('domain', host)) throw new ConflictError('This domain is already in use', 'E_DOMAIN_TAKEN')
    throw error
  }
  await audit({
    tenantId: tenant.id,
    action: 'platform.domain_added',
    subjectType: 'tenant_domain',
    subjectId: domain.id,
    after: { domain: domain.domain },
    actor: actorOf(admin),
  })
  return domain
}

/** Looks the TXT record up; marks the domain verified when the expected value is there */
export async function verifyDomain(domain: TenantDomain, admin: PlatformActor) {
  const record = verificationRecord(domain)
  let values: string[] = []
  try {
    values = (await txtResolver(record.name)).map((chunks) => chunks.join(''))
  } catch (error: any) {
    /* No record (yet) is an answer, not a failure; anything else is worth a log line */
    if (!['ENOTFOUND', 'ENODATA', 'ESERVFAIL', 'ETIMEOUT', 'ECONNREFUSED'].includes(error?.code)) throw error
  }
  if (!values.some((value) => value.trim() === record.value)) return false
  domain.verifiedAt = DateTime.utc()
  await domain.save()
  await audit({
    tenantId: domain.tenantId,
    action: 'platform.domain_verified',
    subjectType: 'tenant_domain',
    subjectId: domain.id,
    after: { domain: domain.domain },
    actor: actorOf(admin),
  })
  return true
}

export async function removeDomain(domain: TenantDomain, admin: PlatformActor) {
  await domain.delete()
  await audit({
    tenantId: domain.tenantId,
    action: 'platform.domain_removed',
    subjectType: 'tenant_domain',
    subjectId: domain.id,
    before: { domain: domain.domain, verified: Boolean(domain.verifiedAt) },
    actor: actorOf(admin),
  })
}
