/*
| Maps a document onto the PDF engineer's PdfDocumentView (everything resolved, formatted and
| snapshotted: templates never reach the database) and renders it, cached per document version.
| The `invoice.pdf.context` filter lets other plugins adjust the view last.
*/
import Tenant from '#models/tenant'
import hooks from '#kernel/hooks'
import { resolveTheme, FONTS } from '#theming/theme'
import { tenantUrl, translatorFor } from '#services/mail_service'
import Document, { type PartySnapshot } from '../models/document.js'
import Client from '../models/client.js'
import Contact from '../models/contact.js'
import { linesOf, sellerSnapshot } from './documents.js'
import { publicPath } from './documents_tokens.js'
import { formatAmount, formatRate } from './money.js'
import { renderDocumentPdf } from './pdf/index.js'
import type { PdfAddress, PdfDocumentView, PdfLine, PdfReference } from './pdf/types.js'
import '../hooks.js'

function localeOf(language: string, country: string | null | undefined) {
  if (language.includes('-')) return language
  return country ? `${language}-${country.toUpperCase()}` : language
}

function address(party: PartySnapshot, locale: string): PdfAddress {
  let countryName: string | null = null
  if (party.country) {
    try {
      countryName = new Intl.DisplayNames([locale], { type: 'region' }).of(party.country.toUpperCase()) ?? party.country
    } catch {
      countryName = party.country
    }
  }
  return {
    line1: party.addressLine1,
    line2: party.addressLine2,
    postalCode: party.postalCode,
    city: party.city,
    region: party.region,
    country: party.country,
    countryName,
  }
}

function formatDate(date: string | null, locale: string) {
  if (!date) return null
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`))
}

function formatQuantity(tenThousandths: number, locale: string) {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 4 }).format(tenThousandths / 10_000)
}

async function liveBuyer(doc: Document): Promise<PartySnapshot> {
  const client = await Client.forTenant(doc.tenantId).where('id', doc.clientId).firstOrFail()
  const contact = await Contact.forTenant(doc.tenantId).where('client_id', client.id).orderBy('is_primary', 'desc').orderBy('id').first()
  return {
    name: client.name,
    contactName: contact ? [contact.firstName, contact.lastName].filter(Boolean).join(' ') : null,
    email: client.email,
    vatId: client.vatId,
    taxId: client.taxId,
    addressLine1: client.addressLine1,
    addressLine2: client.addressLine2,
    postalCode: client.postalCode,
    city: client.city,
    region: client.region,
    country: client.country,
  }
}

export async function documentView(doc: Document): Promise<PdfDocumentView> {
  const tenant = await Tenant.findOrFail(doc.tenantId)
  const seller = doc.sellerSnapshot ?? sellerSnapshot(tenant)
  const buyer = doc.buyerSnapshot ?? (await liveBuyer(doc))
  const locale = localeOf(doc.language, seller.country)
  const t = translatorFor(doc.language, tenant)
  const money = (minor: number) => formatAmount(minor, doc.currency, locale)
  const theme = resolveTheme(tenant.theme)
  const lines = await linesOf(doc)

  const references: PdfReference[] = []
  if (doc.buyerReference) references.push({ label: t('invoicing_core.pdf.buyer_reference'), value: doc.buyerReference })
  if (doc.orderReference) references.push({ label: t('invoicing_core.pdf.order_reference'), value: doc.orderReference })
  if (doc.relatedDocumentId) {
    const related = await Document.forTenant(doc.tenantId).where('id', doc.relatedDocumentId).first()
    if (related?.number) {
      const key = doc.type === 'credit_note' ? 'invoicing_core.pdf.corrects_invoice' : 'invoicing_core.pdf.from_quote'
      references.push({ label: t(key), value: related.number })
    }
  }

  const pdfLines: PdfLine[] = lines.map((line) => ({
    position: line.position,
    description: line.description.split('\n')[0],
    details: line.description.includes('\n') ? line.description.split('\n').slice(1).join('\n') : null,
    quantity: line.quantity,
    quantityDisplay: formatQuantity(line.quantity, locale),
    unitCode: line.unit,
    unitLabel: t(`invoicing_core.units.${line.unit}`).startsWith('translation missing') ? line.unit : t(`invoicing_core.units.${line.unit}`),
    unitPrice: line.unitPrice,
    unitPriceFormatted: money(line.unitPrice),
    discount: line.discountType ? line.discountValue : null,
    discountDisplay:
      line.discountType === 'percent' ? `${formatRate(line.discountValue)} %` : line.discountType === 'amount' ? `−${money(line.discountValue)}` : null,
    taxRate: line.taxRate,
    taxRateLabel: `${formatRate(line.taxRate)} %`,
    taxCategory: line.taxCategory,
    net: line.netAmount,
    netFormatted: money(line.netAmount),
  }))

  const status = doc.status === 'draft' || doc.status === 'void' ? t(`invoicing_core.status.${doc.status}`) : null
  const path = publicPath(doc)
  const view: PdfDocumentView = {
    seller: {
      name: seller.name,
      legalName: seller.legalName ?? null,
      address: address(seller, locale),
      vatId: seller.vatId,
      taxId: seller.taxId,
      email: seller.email,
      phone: seller.phone ?? null,
      website: null,
      logoDataUrl: theme.logoUrl?.startsWith('data:image/') ? theme.logoUrl : null,
      theme: {
        primary: theme.primary,
        accent: theme.accent,
        surface: theme.surface,
        text: theme.text,
        font: theme.font,
        fontFamily: FONTS[theme.font],
        radius: theme.radius,
      },
    },
    buyer: {
      name: buyer.name,
      contactName: buyer.contactName ?? null,
      email: buyer.email,
      address: address(buyer, locale),
      vatId: buyer.vatId,
      taxId: buyer.taxId,
    },
    meta: {
      type: doc.type,
      title: t(`invoicing_core.types.${doc.type}`),
      number: doc.number,
      isDraft: doc.status === 'draft',
      statusLabel: status,
      issueDate: doc.issueDate,
      issueDateFormatted: formatDate(doc.issueDate, locale),
      dueDate: doc.dueDate,
      dueDateFormatted: formatDate(doc.dueDate, locale),
      deliveryDate: doc.deliveryDate,
      deliveryDateFormatted: formatDate(doc.deliveryDate, locale),
      validUntil: doc.validUntil,
      validUntilFormatted: formatDate(doc.validUntil, locale),
      references,
      currency: doc.currency,
      locale,
      paper: null,
    },
    lines: pdfLines,
    taxGroups: doc.taxBreakdown.map((g) => ({
      taxRate: g.rate,
      taxRateLabel: `${formatRate(g.rate)} %`,
      taxCategory: g.category,
      exemptionReason: g.exemptionReason,
      net: g.net,
      netFormatted: money(g.net),
      tax: g.tax,
      taxFormatted: money(g.tax),
    })),
    totals: {
      subtotal: doc.subtotal,
      subtotalFormatted: money(doc.subtotal),
      discount: doc.discountTotal,
      discountFormatted: doc.discountTotal ? money(doc.discountTotal) : null,
      net: doc.netTotal,
      netFormatted: money(doc.netTotal),
      tax: doc.taxTotal,
      taxFormatted: money(doc.taxTotal),
      total: doc.total,
      totalFormatted: money(doc.total),
      paid: doc.amountPaid + doc.amountCredited,
      paidFormatted: doc.amountPaid + doc.amountCredited ? money(doc.amountPaid + doc.amountCredited) : null,
      balance: doc.balanceDue,
      balanceFormatted: money(doc.balanceDue),
    },
    notes: doc.notes,
    terms: doc.terms,
    footer: doc.footer,
    publicUrl: path ? await tenantUrl(tenant, path) : null,
    payment:
      doc.type === 'invoice'
        ? { text: null, accountHolder: null, iban: null, bic: null, bankName: null, reference: doc.number }
        : null,
  }
  return hooks.applyFilters('invoice.pdf.context', view, { tenantId: doc.tenantId })
}

/** The PDF bytes of a document, cached by the renderer per document version */
export async function documentPdf(doc: Document): Promise<Buffer> {
  const view = await documentView(doc)
  return renderDocumentPdf(view, { tenantId: doc.tenantId, cacheKey: `${doc.type}-${doc.id}-v${doc.version}` })
}
