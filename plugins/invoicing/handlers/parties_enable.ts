/* What the parties area seeds when invoicing is enabled for a tenant: default tax rates, never deleting data */
import type Tenant from '#models/tenant'
import { seedDefaultTaxRates } from '../services/catalogue.js'

export async function seedTenantDefaults(tenant: Tenant) {
  await seedDefaultTaxRates(tenant)
}
