/*
| Finds the tenant a Host header names: <slug>.<APP_DOMAIN>, a verified custom domain, or the
| configured default tenant on the bare domain.
*/
import env from '#start/env'
import Tenant from '#models/tenant'
import TenantDomain from '#models/tenant_domain'

export type Resolution =
  | { kind: 'tenant'; tenant: Tenant }
  | { kind: 'platform' }
  | { kind: 'unknown' }

const RESERVED = new Set(['www', 'app', 'api', 'admin', 'platform', 'mail'])

export function hostname(hostHeader: string | undefined | null) {
  if (!hostHeader) return ''
  return hostHeader.replace(/:\d+$/, '').replace(/\.$/, '').toLowerCase()
}

export function slugFromHost(host: string, appDomain: string): string | null | undefined {
  if (host === appDomain) return null
  const suffix = `.${appDomain}`
  if (!host.endsWith(suffix)) return undefined
  const sub = host.slice(0, -suffix.length)
  if (!sub || sub.includes('.')) return undefined
  return sub
}

export async function resolveTenant(hostHeader: string | undefined | null): Promise<Resolution> {
  const host = hostname(hostHeader)
  const appDomain = env.get('APP_DOMAIN').toLowerCase()
  const slug = slugFromHost(host, appDomain)

  /* The bare domain (and loopback IPs) serve the default tenant, if one is configured */
  if (slug === null || host === '127.0.0.1' || host === '[::1]') {
    const defaultSlug = env.get('DEFAULT_TENANT')
    if (defaultSlug) {
      const tenant = await Tenant.findBy('slug', defaultSlug)
      if (tenant) return { kind: 'tenant', tenant }
    }
    return { kind: 'platform' }
  }

  if (slug) {
    if (RESERVED.has(slug)) return { kind: 'platform' }
    const tenant = await Tenant.findBy('slug', slug)
    return tenant ? { kind: 'tenant', tenant } : { kind: 'unknown' }
  }

  const domain = await TenantDomain.query().where('domain', host).whereNotNull('verified_at').first()
  if (domain) {
    const tenant = await Tenant.find(domain.tenantId)
    if (tenant) return { kind: 'tenant', tenant }
  }
  return { kind: 'unknown' }
}
