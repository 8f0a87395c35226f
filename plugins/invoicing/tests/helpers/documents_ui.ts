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

type Route = { method: 'get' | 'post'; url: string; permission: 'view' | 'manage' | 'issue' | 'pay' }

/** Every documents UI route with the permission it needs ({id} an invoice, {quote} a quote, {op} a bulk operation) */
export const ROUTES: Route[] = [
  { method: 'get', url: '/app/invoicing/invoices', permission: 'view' },
  { method: 'get', url: '/app/invoicing/quotes', permission: 'view' },
  { method: 'get', url: '/app/invoicing/credit-notes', permission: 'view' },
  { method: 'get', url: '/app/invoicing/payments', permission: 'view' },
  { method: 'get', url: '/app/invoicing/invoices/new', permission: 'manage' },
  { method: 'post', url: '/app/invoicing/invoices', permission: 'manage' },
  { method: 'post', url: '/app/invoicing/invoices/editor/totals', permission: 'manage' },
  { method: 'post', url: '/app/invoicing/invoices/editor/lines', permission: 'manage' },
  { method: 'get', url: '/app/invoicing/invoices/{id}', permission: 'view' },
  { method: 'get', url: '/app/invoicing/invoices/{id}/edit', permission: 'manage' },
  { method: 'post', url: '/app/invoicing/invoices/{id}', permission: 'manage' },
  { method: 'get', url: '/app/invoicing/invoices/{id}/pdf', permission: 'view' },
  { method: 'post', url: '/app/invoicing/invoices/{id}/finalize', permission: 'issue' },
  { method: 'post', url: '/app/invoicing/invoices/{id}/send', permission: 'issue' },
  { method: 'post', url: '/app/invoicing/invoices/{id}/mark-sent', permission: 'issue' },
  { method: 'post', url: '/app/invoicing/invoices/{id}/void', permission: 'issue' },
  { method: 'post', url: '/app/invoicing/invoices/{id}/write-off', permission: 'issue' },
  { method: 'post', url: '/app/invoicing/invoices/{id}/credit-note', permission: 'manage' },
  { method: 'post', url: '/app/invoicing/invoices/{id}/delete', permission: 'manage' },
  { method: 'post', url: '/app/invoicing/invoices/{id}/payments', permission: 'pay' },
  { method: 'post', url: '/app/invoicing/quotes/{quote}/accept', permission: 'issue' },
  { method: 'post', url: '/app/invoicing/quotes/{quote}/decline', permission: 'issue' },
  { method: 'post', url: '/app/invoicing/quotes/{quote}/convert', permission: 'manage' },
  { method: 'post', url: '/app/invoicing/invoices/bulk', permission: 'view' },
  { method: 'get', url: '/app/invoicing/invoices/export.csv', permission: 'view' },
  { method: 'get', url: '/app/invoicing/bulk/{op}', permission: 'view' },
  { method: 'get', url: '/app/invoicing/bulk/{op}/download', permission: 'view' },
  { method: 'get', url: '/app/invoicing/widgets/outstanding', permission: 'view' },
  { method: 'get', url: '/app/invoicing/widgets/overdue', permission: 'view' },
  { method: 'get', url: '/app/invoicing/widgets/revenue', permission: 'view' },
]

