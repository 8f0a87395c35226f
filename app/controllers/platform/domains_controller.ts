import type { HttpContext } from '@adonisjs/core/http'
import Tenant from '#models/tenant'
import TenantDomain from '#models/tenant_domain'
import { addDomain, addDomainValidator, removeDomain, verifyDomain } from '#services/tenant_domain_service'

/** Custom domains of a tenant: add (shows the TXT record to publish), verify, remove */
export default class DomainsController {
  async store({ params, request, response, session, i18n, auth }: HttpContext) {
    const tenant = await Tenant.findOrFail(params.id)
    const { domain } = await request.validateUsing(addDomainValidator)
    await addDomain(tenant, domain, auth.use('platform').user!)
    session.flash('success', i18n.t('platform.domain_added', { domain }))
    return response.redirect(`/platform/tenants/${tenant.id}`)
  }

  async verify({ params, response, session, i18n, auth }: HttpContext) {
    const domain = await this.find(params)
    if (await verifyDomain(domain, auth.use('platform').user!)) {
      session.flash('success', i18n.t('platform.domain_verified', { domain: domain.domain }))
    } else {
      session.flash('error', i18n.t('platform.domain_not_verified', { domain: domain.domain }))
    }
    return response.redirect(`/platform/tenants/${domain.tenantId}`)
  }

  async destroy({ params, response, session, i18n, auth }: HttpContext) {
    const domain = await this.find(params)
    await removeDomain(domain, auth.use('platform').user!)
    session.flash('success', i18n.t('platform.domain_removed', { domain: domain.domain }))
    return response.redirect(`/platform/tenants/${domain.tenantId}`)
  }

  /* A domain is addressed through its tenant; a mismatched pair is simply not found */
  private async find(params: Record<string, any>) {
    return TenantDomain.query().where('id', params.domainId).where('tenant_id', params.id).firstOrFail()
  }
}
