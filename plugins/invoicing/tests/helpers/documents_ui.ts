/*
| Fixtures for the documents UI specs: a tenant with a client and its default tax rates, and
| documents made through the real documents service.
*/
import { makeTenant, type TestTenant } from '#tests/helpers/tenants'
import { createClient } from '#plugins/invoicing/services/clients'
import { createDraft, finalize } from '#plugins/invoicing/services/documents'
import TaxRate from '#plugins/invoicing/models/tax_rate'
import type Client from '#plugins/invoicing/models/client'
import type Document from '#plugins/invoicing/models/document'
import type { DocumentType } from '#plugins/invoicing/models/document'

export interface Fixture {
  t: TestTenant
  client: Client
  standardRate: TaxRate
}

export async function fixture(options: { clientName?: string; email?: string | null } = {}): Promise<Fixture> {
  const t = await makeTenant()
  const client = await t.run(() =>
    createClient({
      kind: 'company',
      name: options.clientName ?? 'Globex Corporation',
      email: options.email === undefined ? 'billing@globex.test' : options.email,
      currency: 'EUR',
      language: 'en',
      address_line1: '1 Main Street',
      postal_code: '10115',
      city: 'Berlin',
      country: 'DE',
    })
  )
  const standardRate = await t.run(async () => (await TaxRate.query().where('category', 'S').orderBy('rate', 'desc').firstOrFail()))
  return { t, client, standardRate }
}

/** A draft with one line (3 × 100.00 EUR at the standard rate) unless lines are given */
export async function draft(f: Fixture, type: DocumentType = 'invoice', extra: Record<string, unknown> = {}): Promise<Document> {
  return f.t.run(() =>
    createDraft(type, {
      clientId: f.client.id,
      currency: 'EUR',
      issueDate: '2026-03-01',
      dueDate: type === 'invoice' ? '2026-03-15' : null,
      lines: [{ description: 'Consulting', quantity: 30_000, unitPrice: 10_000, taxRateId: f.standardRate.id }],
      ...extra,
    } as any)
  )
}

export async function issued(f: Fixture, type: DocumentType = 'invoice', extra: Record<string, unknown> = {}) {
  const doc = await draft(f, type, extra)
  return f.t.run(() => finalize(doc))
}

export const rowIds = (html: string) => [...html.matchAll(/data-document-id="(\d+)"/g)].map((m) => Number(m[1]))
