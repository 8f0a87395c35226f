/* Test data for the documents specs: a client, tax rates and drafts built through the services */
import Client from '#plugins/invoicing/models/client'
import TaxRate from '#plugins/invoicing/models/tax_rate'
import type { TestTenant } from '#tests/helpers/tenants'
import { createDraft, type DraftInput, type LineInput } from '#plugins/invoicing/services/documents'
import type { DocumentType } from '#plugins/invoicing/models/document'

export async function makeClient(t: TestTenant, overrides: Partial<Client> = {}) {
  return Client.create({
    tenantId: t.tenant.id,
    kind: 'company',
    name: 'Acme GmbH',
    email: 'billing@acme.test',
    currency: 'EUR',
    language: 'en',
    postalCode: '10115',
    city: 'Berlin',
    country: 'DE',
    vatId: 'DE123456789',
    ...overrides,
  } as any)
}

export async function makeTaxRate(t: TestTenant, rate = 19000, category = 'S', reason: string | null = null) {
  return TaxRate.create({
    tenantId: t.tenant.id,
    name: `VAT ${rate / 1000}%`,
    rate,
    category,
    exemptionReason: reason,
    isDefault: false,
  } as any)
}

export function line(overrides: Partial<LineInput> = {}): LineInput {
  return { description: 'Consulting', quantity: 10_000, unitPrice: 10_000, taxRate: 19000, taxCategory: 'S', ...overrides }
}

export async function makeDraft(
  t: TestTenant,
  type: DocumentType,
  clientId: number,
  input: Partial<DraftInput> = {}
) {
  return t.run(() => createDraft(type, { clientId, lines: [line()], ...input }))
}
