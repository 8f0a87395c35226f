import type { HttpContext } from '@adonisjs/core/http'
import Tenant from '#models/tenant'
import TenantDomain from '#models/tenant_domain'
import { createTenantValidator } from '#services/tenant_service'
import { createTenantAsPlatform, listTenants, setTenantStatus, userCount } from '#services/platform_service'
import { verificationRecord } from '#services/tenant_domain_service'
import { tenantListValidator } from '#validators/platform'

/** Tenants as the operator sees them: list, create, inspect, suspend and reactivate */
export default class TenantsController {
  async index({ request, view }: HttpContext) {
    const { page } = await tenantListValidator.validate(request.qs())
    const { tenants, userCounts } = await listTenants(page ?? 1)
    tenants.baseUrl('/platform')
    return view.render('pages/platform/tenants/index', { tenants, userCounts })
  }

  async create({ view }: HttpContext) {
    return view.render('pages/platform/tenants/create')
  }

  async store({ request, response, session, i18n, auth }: HttpContext) {
    const input = await request.validateUsing(createTenantValidator)
    const { tenant } = await createTenantAsPlatform(input, auth.use('platform').user!)
    session.flash('success', i18n.t('platform.tenant_created', { name: tenant.name }))
    return response.redirect(`/platform/tenants/${tenant.id}`)
  }

  async show({ params, view }: HttpContext) {
    const tenant = await Tenant.findOrFail(params.id)
    const domains = await TenantDomain.query().where('tenant_id', tenant.id).orderBy('id')
    return view.render('pages/platform/tenants/show', {
      subject: tenant,
      users: await userCount(tenant),
      domains: domains.map((domain) => ({ domain, record: verificationRecord(domain) })),
    })
  }

  async suspend(ctx: HttpContext) {
    return this.setStatus(ctx, 'suspended')
  }

  async reactivate(ctx: HttpContext) {
    return this.setStatus(ctx, 'active')
  }

  private async setStatus({ params, response, session, i18n, auth }: HttpContext, status: Tenant['status']) {
    const tenant = await Tenant.findOrFail(params.id)
    await setTenantStatus(tenant, status, auth.use('platform').user!)
    session.flash('success', i18n.t(status === 'suspended' ? 'platform.tenant_suspended' : 'platform.tenant_reactivated', { name: tenant.name }))
    return response.redirect(`/platform/tenants/${tenant.id}`)
  }
}
