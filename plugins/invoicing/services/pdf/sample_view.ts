/*
| A realistic invoice view with made-up data: what the design editor previews, and what the
| tests and the benchmark print. Theme tokens and logo come from the caller (the tenant's own).
*/
import type { PdfDocumentView, PdfLine, PdfTheme } from './types.js'

const ITEMS = [
  ['Website redesign: discovery workshop', 'Two sessions with stakeholders, findings report', 'HUR', 'h', 9500],
  ['UI design system', 'Components, tokens, documentation', 'DAY', 'days', 68000],
  ['Frontend development', null, 'HUR', 'h', 8800],
  ['Hosting (12 months)', 'Managed hosting, EU region', 'C62', 'pcs', 24000],
  ['Support retainer', 'Response within one business day', 'MON', 'mo', 45000],
] as const

export interface SampleOptions {
  lines?: number
  locale?: string
  currency?: string
  sellerName?: string
  theme?: Partial<PdfTheme>
  logoDataUrl?: string | null
}

export function sampleDocumentView(options: SampleOptions = {}): PdfDocumentView {
  const locale = options.locale ?? 'en-GB'
  const currency = options.currency ?? 'EUR'
  const money = new Intl.NumberFormat(locale, { style: 'currency', currency })
  const fmt = (minor: number) => money.format(minor / 100)
  const count = options.lines ?? 5
  const lines: PdfLine[] = []
  let subtotal = 0
  for (let i = 0; i < count; i++) {
    const [description, details, unitCode, unitLabel, unitPrice] = ITEMS[i % ITEMS.length]
    const quantity = ((i % 4) + 1) * 10_000 + (i % 2 ? 5_000 : 0)
    const net = Math.round((quantity * unitPrice) / 10_000)
    subtotal += net
    lines.push({
      position: i + 1,
      description: count > ITEMS.length ? `${description} (${i + 1})` : description,
      details,
      quantity,
      quantityDisplay: new Intl.NumberFormat(locale, { maximumFractionDigits: 4 }).format(quantity / 10_000),
      unitCode,
      unitLabel,
      unitPrice,
      unitPriceFormatted: fmt(unitPrice),
      discount: null,
      discountDisplay: null,
      taxRate: 19_000,
      taxRateLabel: '19 %',
      taxCategory: 'S',
      net,
      netFormatted: fmt(net),
    })
  }
  const tax = Math.round((subtotal * 19) / 100)
  const date = (iso: string) => new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }).format(new Date(`${iso}T12:00:00Z`))
  return {
    seller: {
      name: options.sellerName ?? 'Northwind Studio',
      legalName: `${options.sellerName ?? 'Northwind Studio'} GmbH`,
      address: { line1: 'Hauptstraße 12', line2: null, postalCode: '10115', city: 'Berlin', region: null, country: 'DE', countryName: 'Germany' },
      vatId: 'DE123456789',
      taxId: null,
      email: 'billing@northwind.example',
      phone: '+49 30 1234567',
      website: 'northwind.example',
      logoDataUrl: options.logoDataUrl ?? null,
      theme: {
        primary: '#3348d1',
        accent: '#0f766e',
        surface: '#ffffff',
        text: '#1b1f2a',
        font: 'system',
        fontFamily: 'system-ui, sans-serif',
        radius: 8,
        ...options.theme,
      },
    },
    buyer: {
      name: 'Acme Corporation Ltd',
      contactName: 'Jane Doe',
      email: 'ap@acme.example',
      address: { line1: '1 King Street', line2: 'Floor 3', postalCode: 'EC2V 8AU', city: 'London', region: null, country: 'GB', countryName: 'United Kingdom' },
      vatId: 'GB987654321',
      taxId: null,
    },
    meta: {
      type: 'invoice',
      title: 'Invoice',
      number: 'INV-2026-00042',
      isDraft: false,
      statusLabel: null,
      issueDate: '2026-11-20',
      issueDateFormatted: date('2026-11-20'),
      dueDate: '2026-12-04',
      dueDateFormatted: date('2026-12-04'),
      deliveryDate: '2026-11-18',
      deliveryDateFormatted: date('2026-11-18'),
      validUntil: null,
      validUntilFormatted: null,
      references: [{ label: 'Order reference', value: 'PO-7781' }],
      currency,
      locale,
      paper: null,
    },
    lines,
    taxGroups: [
      { taxRate: 19_000, taxRateLabel: '19 %', taxCategory: 'S', exemptionReason: null, net: subtotal, netFormatted: fmt(subtotal), tax, taxFormatted: fmt(tax) },
    ],
    totals: {
      subtotal,
      subtotalFormatted: fmt(subtotal),
      discount: 0,
      discountFormatted: null,
      net: subtotal,
      netFormatted: fmt(subtotal),
      tax,
      taxFormatted: fmt(tax),
      total: subtotal + tax,
      totalFormatted: fmt(subtotal + tax),
      paid: 0,
      paidFormatted: null,
      balance: subtotal + tax,
      balanceFormatted: fmt(subtotal + tax),
    },
    notes: 'Thank you for your business.',
    terms: 'Payable within 14 days without deduction.',
    footer: 'Northwind Studio GmbH · Managing director: M. Example · Register court Berlin HRB 12345',
    publicUrl: 'https://northwind.example/p/invoicing/d/abc123',
    payment: {
      text: 'Please transfer the total to the account below.',
      accountHolder: 'Northwind Studio GmbH',
      iban: 'DE89 3704 0044 0532 0130 00',
      bic: 'COBADEFFXXX',
      bankName: 'Commerzbank',
      reference: 'INV-2026-00042',
    },
  }
}
