/*
| What the documents pages show, computed once in code instead of in templates: URLs and labels
| per document type, status badges (with the derived "overdue"), and formatted amounts and dates.
*/
import { DateTime } from 'luxon'
import type Document from '#plugins/invoicing/models/document'
import type DocumentLine from '#plugins/invoicing/models/document_line'
import type Client from '#plugins/invoicing/models/client'
import type Tenant from '#models/tenant'
import type { DocumentType } from '#plugins/invoicing/models/document'
import { formatAmount, formatRate, toDecimal, QUANTITY_SCALE } from '#plugins/invoicing/services/money'

export interface TypeInfo {
  type: DocumentType
  /** URL segment and fragment id part: invoices, quotes, credit-notes */
  slug: string
  base: string
  /** i18n key stem under invoicing_ui.types.<key> */
  key: string
  listId: string
}

export const TYPES: Record<DocumentType, TypeInfo> = {
  invoice: { type: 'invoice', slug: 'invoices', base: '/app/invoicing/invoices', key: 'invoice', listId: 'invoicing-invoices-list' },
  quote: { type: 'quote', slug: 'quotes', base: '/app/invoicing/quotes', key: 'quote', listId: 'invoicing-quotes-list' },
  credit_note: {
    type: 'credit_note',
    slug: 'credit-notes',
    base: '/app/invoicing/credit-notes',
    key: 'credit_note',
    listId: 'invoicing-credit-notes-list',
  },
}

export function urlOf(doc: Pick<Document, 'type' | 'id'>, suffix = '') {
  return `${TYPES[doc.type].base}/${doc.id}${suffix}`
}

/** Badge tone per status: neutral, info, success, warning, danger */
const TONES: Record<string, string> = {
  draft: 'neutral',
  finalized: 'info',
  sent: 'info',
  viewed: 'info',
  partially_paid: 'warning',
  paid: 'success',
  void: 'neutral',
  written_off: 'neutral',
  accepted: 'success',
  declined: 'danger',
  converted: 'success',
  overdue: 'danger',
}

export function statusBadge(doc: Document, today: string) {
  const status = doc.isOverdue(today) ? 'overdue' : doc.status
  return { status, tone: TONES[status] ?? 'neutral' }
}

export function money(minor: number, currency: string, locale: string) {
  return formatAmount(minor, currency, locale)
}

export function formatDate(iso: string | null, locale: string) {
  if (!iso) return null
  return DateTime.fromISO(iso, { zone: 'utc' }).setLocale(locale).toLocaleString(DateTime.DATE_MED)
}

export function formatQuantity(tenThousandths: number, locale: string) {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 4 }).format(tenThousandths / QUANTITY_SCALE)
}

/** Decimal text for an input field ("1.5", never "1.5000") */
export function quantityInput(tenThousandths: number) {
  const whole = Math.trunc(tenThousandths / QUANTITY_SCALE)
  const fraction = String(Math.abs(tenThousandths % QUANTITY_SCALE)).padStart(4, '0').replace(/0+$/, '')
  const sign = tenThousandths < 0 && whole === 0 ? '-' : ''
  return fraction ? `${sign}${whole}.${fraction}` : `${sign}${whole}`
}

export function amountInput(minor: number, currency: string) {
  return toDecimal(minor, currency)
}

export function rateLabel(thousandths: number, locale: string) {
  return `${formatRate(thousandths).replace('.', locale.startsWith('de') ? ',' : '.')} %`
}

/** A list row as the table shows it */
export function presentRow(doc: Document, locale: string, today: string) {
  return {
    id: doc.id,
    url: urlOf(doc),
    number: doc.number,
    clientName: doc.clientName,
    clientId: doc.clientId,
    issueDate: formatDate(doc.issueDate, locale),
    dueDate: formatDate(doc.dueDate ?? doc.validUntil, locale),
    total: money(doc.total, doc.currency, locale),
    balance: money(doc.balanceDue, doc.currency, locale),
    hasBalance: doc.balanceDue > 0 && doc.status !== 'draft',
    badge: statusBadge(doc, today),
    isDraft: doc.isDraft,
  }
}

export interface PartyView {
  name: string
  lines: string[]
  vatId: string | null
  email: string | null
}

function addressLines(p: { addressLine1?: string | null; addressLine2?: string | null; postalCode?: string | null; city?: string | null; region?: string | null; country?: string | null }) {
  const cityLine = [p.postalCode, p.city].filter(Boolean).join(' ')
  return [p.addressLine1, p.addressLine2, [cityLine, p.region].filter(Boolean).join(', '), p.country].filter((l): l is string => !!l && l.trim() !== '')
}

/** Seller and buyer as printed: the snapshots taken at finalisation, the live records on drafts */
export function partiesOf(doc: Document, tenant: Tenant, client: Client | null) {
  const seller: PartyView = doc.sellerSnapshot
    ? { name: doc.sellerSnapshot.legalName || doc.sellerSnapshot.name, lines: addressLines(doc.sellerSnapshot), vatId: doc.sellerSnapshot.vatId, email: doc.sellerSnapshot.email }
    : {
        name: tenant.profile?.legalName || tenant.name,
        lines: addressLines(tenant.profile ?? {}),
        vatId: tenant.profile?.vatId ?? null,
        email: tenant.profile?.email ?? null,
      }
  const snap = doc.buyerSnapshot
  const buyer: PartyView = snap
    ? { name: snap.name, lines: addressLines(snap), vatId: snap.vatId, email: snap.email }
    : client
      ? { name: client.name, lines: addressLines(client), vatId: client.vatId, email: client.email }
      : { name: doc.clientName, lines: [], vatId: null, email: null }
  return { seller, buyer }
}

/** The document as the show page and the public page render it */
export function presentDocument(doc: Document, lines: DocumentLine[], locale: string, today: string) {
  const fmt = (n: number) => money(n, doc.currency, locale)
  return {
    id: doc.id,
    type: doc.type,
    number: doc.number,
    status: doc.status,
    badge: statusBadge(doc, today),
    currency: doc.currency,
    issueDate: formatDate(doc.issueDate, locale),
    dueDate: formatDate(doc.dueDate, locale),
    validUntil: formatDate(doc.validUntil, locale),
    deliveryDate: formatDate(doc.deliveryDate, locale),
    buyerReference: doc.buyerReference,
    orderReference: doc.orderReference,
    notes: doc.notes,
    terms: doc.terms,
    footer: doc.footer,
    lines: lines.map((l) => ({
      position: l.position,
      description: l.description.split('\n')[0],
      details: l.description.split('\n').slice(1).join('\n') || null,
      quantity: formatQuantity(l.quantity, locale),
      unitPrice: fmt(l.unitPrice),
      discount:
        l.discountType === 'percent' ? rateLabel(l.discountValue, locale) : l.discountType === 'amount' ? fmt(l.discountValue) : null,
      tax: l.taxRate || l.taxCategory === 'S' ? rateLabel(l.taxRate, locale) : l.taxCategory,
      amount: fmt(l.netAmount),
    })),
    subtotal: fmt(doc.subtotal),
    discountTotal: doc.discountTotal ? fmt(doc.discountTotal) : null,
    taxGroups: doc.taxBreakdown.map((g) => ({
      label: rateLabel(g.rate, locale),
      net: fmt(g.net),
      tax: fmt(g.tax),
      exemptionReason: g.exemptionReason,
    })),
    netTotal: fmt(doc.netTotal),
    taxTotal: fmt(doc.taxTotal),
    total: fmt(doc.total),
    amountPaid: doc.amountPaid ? fmt(doc.amountPaid) : null,
    amountCredited: doc.amountCredited ? fmt(doc.amountCredited) : null,
    balanceDue: fmt(doc.balanceDue),
    balanceRaw: doc.balanceDue,
    paidPercent: doc.total > 0 ? Math.min(100, Math.round(((doc.amountPaid + doc.amountCredited) / doc.total) * 100)) : 0,
    isDraft: doc.isDraft,
  }
}
