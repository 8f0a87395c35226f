/*
| Quotes, invoices and credit notes: drafts, finalisation (number, snapshots, public token), and
| every later transition. The same functions serve the HTMX pages, the API and public.ts.
| Transitions run in one transaction with the document row locked; audit and hooks follow the
| commit (lifecycle.emitTransition).
*/
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import Tenant from '#models/tenant'
import plugins from '#kernel/plugin_service'
import { tenantContext } from '#tenancy/tenant_context'
import { audit, diff } from '#services/audit_service'
import { NotFoundError } from '#exceptions/domain_errors'
import Client from '../models/client.js'
import Contact from '../models/contact.js'
import TaxRate, { CATEGORIES_NEEDING_REASON } from '../models/tax_rate.js'
import Document, {
  type DiscountType,
  type DocumentType,
  type PartySnapshot,
} from '../models/document.js'
import DocumentLine from '../models/document_line.js'
import NumberingSeries from '../models/numbering_series.js'
import PaymentAllocation from '../models/payment_allocation.js'
import ClientCredit from '../models/client_credit.js'
import { computeTotals, type Totals } from './totals.js'
import { defaultSeries, takeNumber, today } from './numbering.js'
import { assertEditable, assertTransition, emitTransition, lockDocument } from './lifecycle.js'
import { assignToken } from './documents_tokens.js'
import { settleInvoice } from './ledger.js'
import { EmptyDocumentError } from '../exceptions/document_errors.js'
import { LedgerError } from '../exceptions/document_errors.js'

export interface LineInput {
  productId?: number | null
  description: string
  /** ten-thousandths */
  quantity: number
  /** UN/ECE Rec 20 code, default C62 */
  unit?: string | null
  /** minor units */
  unitPrice: number
  discountType?: DiscountType | null
  discountValue?: number | null
  /** copied from the tenant's tax rate; or give rate/category/reason explicitly */
  taxRateId?: number | null
  taxRate?: number | null
  taxCategory?: string | null
  taxExemptionReason?: string | null
}

export interface DraftInput {
  clientId: number
  currency?: string | null
  language?: string | null
  pricesIncludeTax?: boolean | null
  seriesId?: number | null
  issueDate?: string | null
  dueDate?: string | null
  deliveryDate?: string | null
  validUntil?: string | null
  buyerReference?: string | null
  orderReference?: string | null
  paymentMeansCode?: string | null
  paymentTermsDays?: number | null
  notes?: string | null
  terms?: string | null
  footer?: string | null
  discountType?: DiscountType | null
  discountValue?: number | null
  relatedDocumentId?: number | null
  lines: LineInput[]
}

const HEADER_FIELDS = [
  'currency',
  'language',
  'pricesIncludeTax',
  'seriesId',
  'issueDate',
  'dueDate',
  'deliveryDate',
  'validUntil',
  'buyerReference',
  'orderReference',
  'paymentMeansCode',
  'paymentTermsDays',
  'notes',
  'terms',
  'footer',
  'discountType',
  'discountValue',
] as const

function requireTenantId() {
  return tenantContext.requireTenant('invoicing documents').id
}

export interface InvoicingSettings {
  paymentTermsDays: number
  quoteValidityDays: number
  defaultCurrency: string
  pricesIncludeTax: boolean
  defaultTerms: string
  defaultFooter: string
}

/* Read before a transaction opens: on SQLite the transaction holds the only connection */
export async function invoicingSettings(tenantId: number) {
  return (await plugins.settingsFor(tenantId, 'invoicing')) as InvoicingSettings
}
const settings = invoicingSettings

export async function findDocument(id: number | string, type?: DocumentType) {
  const query = Document.query().where('id', Number(id) || 0)
  if (type) query.where('type', type)
  const doc = await query.first()
  if (!doc) throw new NotFoundError()
  return doc
}

export async function linesOf(doc: Document, trx?: TransactionClientContract) {
  return DocumentLine.forTenant(doc.tenantId, { client: trx }).where('document_id', doc.id).orderBy('position')
}

/** A client of the tenant in context that can be billed (archived and merged ones cannot) */
async function billableClient(clientId: number, trx?: TransactionClientContract) {
  const client = await Client.forTenant(requireTenantId(), { client: trx }).where('id', clientId).first()
  if (!client) throw new NotFoundError('Client not found')
  return client
}

async function resolveLines(tenantId: number, inputs: LineInput[], trx: TransactionClientContract) {
  const ids = [...new Set(inputs.map((l) => l.taxRateId).filter((id): id is number => !!id))]
  const rates = ids.length ? await TaxRate.forTenant(tenantId, { client: trx }).whereIn('id', ids) : []
  const byId = new Map(rates.map((r) => [r.id, r]))
  return inputs.map((input, index) => {
    const rate = input.taxRateId ? byId.get(input.taxRateId) : undefined
    if (input.taxRateId && !rate) throw new LedgerError('Unknown tax rate', 'invoicing_core.errors.tax_rate', 'E_UNKNOWN_TAX_RATE')
    const category = rate?.category ?? input.taxCategory ?? 'S'
    const reason = rate ? rate.exemptionReason : (input.taxExemptionReason ?? null)
    if (CATEGORIES_NEEDING_REASON.includes(category as any) && !reason) {
      throw new LedgerError('This tax category needs an exemption reason', 'invoicing_core.errors.exemption_reason', 'E_EXEMPTION_REASON')
    }
    return {
      tenantId,
      position: index + 1,
      productId: input.productId ?? null,
      description: input.description,
      quantity: input.quantity,
      unit: input.unit || 'C62',
      unitPrice: input.unitPrice,
      discountType: input.discountType ?? null,
      discountValue: input.discountType ? (input.discountValue ?? 0) : 0,
      taxRateId: rate?.id ?? null,
      taxName: rate?.name ?? null,
      taxRate: rate?.rate ?? input.taxRate ?? 0,
      taxCategory: category,
      taxExemptionReason: reason,
    }
  })
}

function totalsOf(doc: Pick<Document, 'pricesIncludeTax' | 'discountType' | 'discountValue'>, lines: Array<Omit<DocumentLine, 'netAmount'> | any>): Totals {
  return computeTotals({
    pricesIncludeTax: doc.pricesIncludeTax,
    discountType: doc.discountType,
    discountValue: doc.discountValue,
    lines,
  })
}

function applyTotals(doc: Document, totals: Totals) {
  doc.subtotal = totals.subtotal
  doc.discountTotal = totals.discountTotal
  doc.netTotal = totals.netTotal
  doc.taxTotal = totals.taxTotal
  doc.total = totals.total
  doc.taxBreakdown = totals.taxGroups.map((g) => ({
    rate: g.rate,
    category: g.category,
    exemptionReason: g.exemptionReason,
    net: g.net,
    tax: g.tax,
  }))
  doc.balanceDue = doc.type === 'invoice' ? totals.total - doc.amountPaid - doc.amountCredited : 0
}

async function writeLines(doc: Document, inputs: LineInput[], trx: TransactionClientContract) {
  const resolved = await resolveLines(doc.tenantId, inputs, trx)
  const totals = totalsOf(doc, resolved)
  await DocumentLine.forTenant(doc.tenantId, { client: trx }).where('document_id', doc.id).delete()
  if (resolved.length) {
    await DocumentLine.createMany(
      resolved.map((line, i) => ({ ...line, documentId: doc.id, netAmount: totals.lineAmounts[i] })),
      { client: trx }
    )
  }
  applyTotals(doc, totals)
}

function snapshotHeader(doc: Document) {
  const out: Record<string, unknown> = { clientId: doc.clientId, total: doc.total }
  for (const field of HEADER_FIELDS) out[field] = doc[field]
  return out
}

export async function createDraft(type: DocumentType, input: DraftInput, options: { userId?: number | null } = {}) {
  const tenantId = requireTenantId()
  const config = await settings(tenantId)
  const doc = await db.transaction(async (trx) => {
    const client = await billableClient(input.clientId, trx)
    if (client.archivedAt || client.mergedIntoId) {
      throw new LedgerError('Archived clients cannot be billed', 'invoicing_core.errors.client_archived', 'E_CLIENT_ARCHIVED')
    }
    const doc = new Document()
    doc.useTransaction(trx)
    doc.fill({
      tenantId,
      type,
      status: 'draft',
      clientId: client.id,
      clientName: client.name,
      currency: (input.currency || client.currency || config.defaultCurrency).toUpperCase(),
      language: input.language || client.language || 'en',
      pricesIncludeTax: input.pricesIncludeTax ?? config.pricesIncludeTax,
      seriesId: input.seriesId ?? null,
      issueDate: input.issueDate || today(),
      dueDate: input.dueDate ?? null,
      deliveryDate: input.deliveryDate ?? null,
      validUntil: input.validUntil ?? null,
      buyerReference: input.buyerReference ?? null,
      orderReference: input.orderReference ?? null,
      paymentMeansCode: input.paymentMeansCode || '58',
      paymentTermsDays: input.paymentTermsDays ?? null,
      notes: input.notes ?? null,
      terms: input.terms ?? (config.defaultTerms || null),
      footer: input.footer ?? (config.defaultFooter || null),
      discountType: input.discountType ?? null,
      discountValue: input.discountType ? (input.discountValue ?? 0) : 0,
      relatedDocumentId: input.relatedDocumentId ?? null,
      amountPaid: 0,
      amountCredited: 0,
      version: 1,
      createdBy: options.userId ?? null,
    })
    await checkSeries(doc, trx)
    await doc.save()
    await writeLines(doc, input.lines, trx)
    await doc.save()
    return doc
  })
  await audit({ action: `invoicing.${type}.created`, subjectType: 'invoicing_document', subjectId: doc.id, after: snapshotHeader(doc) })
  return doc
}

async function checkSeries(doc: Document, trx: TransactionClientContract) {
  if (!doc.seriesId) return
  const series = await NumberingSeries.forTenant(doc.tenantId, { client: trx }).where('id', doc.seriesId).first()
  if (!series || series.documentType !== doc.type) {
    throw new LedgerError('Unknown numbering series', 'invoicing_core.errors.series', 'E_UNKNOWN_SERIES')
  }
}

/** Replaces a draft's header fields given and, when `lines` is given, all its lines */
export async function updateDraft(doc: Document, input: Partial<DraftInput>) {
  assertEditable(doc)
  const before = snapshotHeader(doc)
  const updated = await db.transaction(async (trx) => {
    const locked = await lockDocument(trx, doc.tenantId, doc.id)
    assertEditable(locked)
    if (input.clientId !== undefined && input.clientId !== locked.clientId) {
      const client = await billableClient(input.clientId, trx)
      locked.clientId = client.id
      locked.clientName = client.name
    }
    const patch: Record<string, unknown> = {}
    for (const field of HEADER_FIELDS) if (input[field] !== undefined) patch[field] = input[field]
    if (patch.issueDate === null) delete patch.issueDate
    if (typeof patch.currency === 'string') patch.currency = patch.currency.toUpperCase()
    locked.merge(patch)
    if (!locked.discountType) locked.discountValue = 0
    await checkSeries(locked, trx)
    if (input.lines) {
      await writeLines(locked, input.lines, trx)
    } else {
      applyTotals(locked, totalsOf(locked, await linesOf(locked, trx)))
    }
    locked.version += 1
    await locked.save()
    return locked
  })
  await audit({ action: `invoicing.${doc.type}.updated`, subjectType: 'invoicing_document', subjectId: doc.id, ...diff(before, snapshotHeader(updated)) })
  return updated
}

export async function deleteDraft(doc: Document) {
  assertEditable(doc)
  await db.transaction(async (trx) => {
    const locked = await lockDocument(trx, doc.tenantId, doc.id)
    assertEditable(locked)
    await DocumentLine.forTenant(doc.tenantId, { client: trx }).where('document_id', doc.id).delete()
    await locked.delete()
  })
  await audit({ action: `invoicing.${doc.type}.deleted`, subjectType: 'invoicing_document', subjectId: doc.id, before: snapshotHeader(doc) })
}

/** The tenant as seller, as it stands now (finalised documents keep their own copy) */
export function sellerSnapshot(tenant: Tenant): PartySnapshot {
  const p = tenant.profile ?? {}
  return {
    name: tenant.name,
    legalName: p.legalName ?? null,
    email: p.email ?? null,
    phone: p.phone ?? null,
    vatId: p.vatId ?? null,
    taxId: p.taxId ?? null,
    addressLine1: p.addressLine1 ?? null,
    addressLine2: p.addressLine2 ?? null,
    postalCode: p.postalCode ?? null,
    city: p.city ?? null,
    region: null,
    country: p.country ?? null,
  }
}

async function buyerSnapshot(client: Client, trx: TransactionClientContract): Promise<PartySnapshot> {
  const contact = await Contact.forTenant(client.tenantId, { client: trx })
    .where('client_id', client.id)
    .orderBy('is_primary', 'desc')
    .orderBy('id')
    .first()
  return {
    name: client.name,
    contactName: contact ? [contact.firstName, contact.lastName].filter(Boolean).join(' ') : null,
    email: client.email,
    phone: client.phone,
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

function addDays(date: string, days: number) {
  return DateTime.fromISO(date).plus({ days }).toISODate()!
}

export interface FinalizeContext {
  config: InvoicingSettings
  /** the tenant's default series per type, created before the transaction (first use races) */
  defaults: Partial<Record<DocumentType, NumberingSeries>>
}

/** What finalizeIn needs from outside the transaction */
export async function finalizeContext(tenantId: number, types: DocumentType[]): Promise<FinalizeContext> {
  const defaults: FinalizeContext['defaults'] = {}
  for (const type of types) defaults[type] = await defaultSeries(type, undefined, tenantId)
  return { config: await invoicingSettings(tenantId), defaults }
}

/**
 * Finalises a draft inside the caller's transaction: locks the row, recomputes totals, fills
 * dates, snapshots seller and buyer, takes the series' next number and a public token. Credit
 * notes settle their invoice in the same transaction.
 */
export async function finalizeIn(trx: TransactionClientContract, tenantId: number, id: number, context: FinalizeContext) {
  const doc = await lockDocument(trx, tenantId, id)
  assertTransition(doc, 'finalize')
  const lines = await linesOf(doc, trx)
  if (!lines.length) throw new EmptyDocumentError()
  const tenant = await Tenant.findOrFail(tenantId, { client: trx })
  const client = await Client.forTenant(tenantId, { client: trx }).where('id', doc.clientId).firstOrFail()
  const config = context.config

  if (doc.type === 'invoice' && !doc.dueDate) {
    doc.dueDate = addDays(doc.issueDate, doc.paymentTermsDays ?? client.paymentTermsDays ?? config.paymentTermsDays)
  }
  if (doc.type === 'quote' && !doc.validUntil) doc.validUntil = addDays(doc.issueDate, config.quoteValidityDays)
  applyTotals(doc, totalsOf(doc, lines))
  doc.sellerSnapshot = sellerSnapshot(tenant)
  doc.buyerSnapshot = await buyerSnapshot(client, trx)
  doc.clientName = client.name

  const series = doc.seriesId
    ? await NumberingSeries.forTenant(tenantId, { client: trx }).where('id', doc.seriesId).firstOrFail()
    : (context.defaults[doc.type] ?? (await defaultSeries(doc.type, trx)))
  const taken = await takeNumber(trx, series, doc.issueDate)
  doc.seriesId = series.id
  doc.number = taken.number
  doc.numberPeriod = taken.period
  doc.numberCounter = taken.counter
  doc.status = 'finalized'
  doc.finalizedAt = DateTime.now()
  doc.version += 1
  assignToken(doc)
  await doc.save()

  let settled: Document | null = null
  if (doc.type === 'credit_note') settled = await applyCreditNote(trx, doc)
  return { doc, settled }
}

/** A finalised credit note reduces its invoice's balance; what exceeds it becomes client credit */
async function applyCreditNote(trx: TransactionClientContract, note: Document) {
  let applied = 0
  let invoice: Document | null = null
  if (note.relatedDocumentId) {
    invoice = await lockDocument(trx, note.tenantId, note.relatedDocumentId)
    if (invoice.type === 'invoice' && ['finalized', 'sent', 'viewed', 'partially_paid'].includes(invoice.status)) {
      applied = Math.min(note.total, Math.max(invoice.balanceDue, 0))
      if (applied > 0) {
        await PaymentAllocation.create(
          { tenantId: note.tenantId, documentId: invoice.id, source: 'credit_note', creditNoteId: note.id, amount: applied },
          { client: trx }
        )
        invoice.amountCredited += applied
        await settleInvoice(trx, invoice)
      }
    }
  }
  const surplus = note.total - applied
  if (surplus > 0) {
    await ClientCredit.create(
      { tenantId: note.tenantId, clientId: note.clientId, currency: note.currency, amount: surplus, source: 'credit_note', documentId: note.id },
      { client: trx }
    )
  }
  return invoice
}

export async function finalize(doc: Document) {
  const before = { status: doc.status, number: doc.number ?? null }
  const context = await finalizeContext(doc.tenantId, [doc.type])
  const { doc: done, settled } = await db.transaction((trx) => finalizeIn(trx, doc.tenantId, doc.id, context))
  await emitTransition(done, 'finalized', before, done.type === 'credit_note' ? { invoiceId: done.relatedDocumentId } : {})
  if (settled && (settled.status === 'paid' || settled.status === 'partially_paid')) {
    await emitTransition(settled, settled.status, { balanceDue: settled.balanceDue + done.total })
  }
  return done
}

async function simpleTransition(
  doc: Document,
  transition: 'send' | 'view' | 'accept' | 'decline',
  apply: (locked: Document) => boolean
) {
  const before = { status: doc.status }
  let changed = false
  const updated = await db.transaction(async (trx) => {
    const locked = await lockDocument(trx, doc.tenantId, doc.id)
    assertTransition(locked, transition)
    changed = apply(locked)
    if (changed) {
      locked.version += 1
      await locked.save()
    }
    return locked
  })
  return { updated, changed, before }
}

/** Marks an issued document as sent (again); the status moves only from finalised */
export async function markSent(doc: Document) {
  const { updated, before } = await simpleTransition(doc, 'send', (locked) => {
    if (locked.status === 'finalized') locked.status = 'sent'
    locked.sentAt = DateTime.now()
    return true
  })
  await emitTransition(updated, 'sent', before)
  return updated
}

/** The client opened the public link: the first time only it counts (status, hook, audit) */
export async function markViewed(doc: Document) {
  const { updated, changed, before } = await simpleTransition(doc, 'view', (locked) => {
    if (locked.viewedAt) return false
    locked.viewedAt = DateTime.now()
    if (locked.status === 'finalized' || locked.status === 'sent') locked.status = 'viewed'
    return true
  })
  if (changed) await emitTransition(updated, 'viewed', before)
  return updated
}

export async function acceptQuote(doc: Document) {
  const current = today()
  const { updated, before } = await simpleTransition(doc, 'accept', (locked) => {
    if (locked.validUntil && locked.validUntil < current) {
      throw new LedgerError('This quote has expired', 'invoicing_core.errors.quote_expired', 'E_QUOTE_EXPIRED')
    }
    locked.status = 'accepted'
    locked.acceptedAt = DateTime.now()
    return true
  })
  await emitTransition(updated, 'accepted', before)
  return updated
}

export async function declineQuote(doc: Document) {
  const { updated, before } = await simpleTransition(doc, 'decline', (locked) => {
    locked.status = 'declined'
    locked.declinedAt = DateTime.now()
    return true
  })
  await emitTransition(updated, 'declined', before)
  return updated
}

function copyLine(line: DocumentLine, quantity = line.quantity): LineInput {
  return {
    productId: line.productId,
    description: line.description,
    quantity,
    unit: line.unit,
    unitPrice: line.unitPrice,
    discountType: line.discountType,
    discountValue: line.discountType === 'amount' && quantity !== line.quantity
      ? Math.round((line.discountValue * quantity) / line.quantity)
      : line.discountValue,
    taxRate: line.taxRate,
    taxCategory: line.taxCategory,
    taxExemptionReason: line.taxExemptionReason,
    taxRateId: null,
  }
}

function headerFrom(doc: Document): Omit<DraftInput, 'lines'> {
  return {
    clientId: doc.clientId,
    currency: doc.currency,
    language: doc.language,
    pricesIncludeTax: doc.pricesIncludeTax,
    buyerReference: doc.buyerReference,
    orderReference: doc.orderReference,
    deliveryDate: doc.deliveryDate,
    paymentMeansCode: doc.paymentMeansCode,
    notes: doc.notes,
    terms: doc.terms,
    footer: doc.footer,
    discountType: doc.discountType,
    discountValue: doc.discountValue,
  }
}

/** A new draft invoice from a quote; the quote becomes "converted" */
export async function convertQuoteToInvoice(quote: Document, options: { userId?: number | null } = {}) {
  assertTransition(quote, 'convert')
  const lines = await linesOf(quote)
  const invoice = await createDraft(
    'invoice',
    { ...headerFrom(quote), relatedDocumentId: quote.id, lines: lines.map((l) => copyLine(l)) },
    options
  )
  const { updated, before } = await (async () => {
    const before = { status: quote.status }
    const updated = await db.transaction(async (trx) => {
      const locked = await lockDocument(trx, quote.tenantId, quote.id)
      assertTransition(locked, 'convert')
      locked.status = 'converted'
      locked.version += 1
      await locked.save()
      return locked
    })
    return { updated, before }
  })()
  await emitTransition(updated, 'converted', before, { invoiceId: invoice.id })
  return invoice
}

export type CreditNoteLines = 'full' | Array<{ lineId: number; quantity?: number }>

/**
 * A draft credit note for an issued invoice: every line ('full') or chosen lines with an
 * optional smaller quantity. The document discount carries over for a full credit only.
 */
export async function createCreditNote(invoice: Document, selection: CreditNoteLines = 'full', options: { userId?: number | null } = {}) {
  if (invoice.type !== 'invoice' || invoice.status === 'draft') throw new LedgerError('Only issued invoices can be credited', 'invoicing_core.errors.credit_target', 'E_CREDIT_TARGET')
  const lines = await linesOf(invoice)
  let picked: LineInput[]
  if (selection === 'full') {
    picked = lines.map((l) => copyLine(l))
  } else {
    const byId = new Map(lines.map((l) => [l.id, l]))
    picked = selection.map((s) => {
      const line = byId.get(s.lineId)
      if (!line) throw new LedgerError('Unknown invoice line', 'invoicing_core.errors.credit_line', 'E_CREDIT_LINE')
      const quantity = s.quantity ?? line.quantity
      if (quantity <= 0 || quantity > line.quantity) throw new LedgerError('Quantity exceeds the invoiced quantity', 'invoicing_core.errors.credit_quantity', 'E_CREDIT_QUANTITY')
      return copyLine(line, quantity)
    })
    if (!picked.length) throw new EmptyDocumentError()
  }
  const header = headerFrom(invoice)
  if (selection !== 'full') {
    header.discountType = null
    header.discountValue = 0
  }
  return createDraft('credit_note', { ...header, relatedDocumentId: invoice.id, lines: picked }, options)
}

/**
 * Voids an issued invoice with a full credit note, finalised in the same transaction: the invoice's
 * balance goes to zero and anything already paid becomes client credit.
 */
export async function voidWithCreditNote(invoice: Document, options: { userId?: number | null } = {}) {
  assertTransition(invoice, 'void')
  const draft = await createCreditNote(invoice, 'full', options)
  const context = await finalizeContext(invoice.tenantId, ['credit_note'])
  const before = { status: invoice.status, balanceDue: invoice.balanceDue }
  const { note, voided } = await db.transaction(async (trx) => {
    const locked = await lockDocument(trx, invoice.tenantId, invoice.id)
    assertTransition(locked, 'void')
    const { doc: note } = await finalizeIn(trx, invoice.tenantId, draft.id, context)
    const voided = await lockDocument(trx, invoice.tenantId, invoice.id)
    voided.status = 'void'
    voided.voidedAt = DateTime.now()
    voided.balanceDue = 0
    voided.version += 1
    await voided.save()
    return { note, voided }
  })
  await emitTransition(note, 'finalized', { status: 'draft' }, { invoiceId: invoice.id })
  await emitTransition(voided, 'voided', before, { creditNoteId: note.id })
  return { invoice: voided, creditNote: note }
}

/** Writes off what is still owed on an open invoice (uncollectable) */
export async function writeOff(invoice: Document, reason?: string | null) {
  const before = { status: invoice.status, balanceDue: invoice.balanceDue }
  let amount = 0
  const updated = await db.transaction(async (trx) => {
    const locked = await lockDocument(trx, invoice.tenantId, invoice.id)
    assertTransition(locked, 'write_off')
    amount = locked.balanceDue
    if (amount > 0) {
      await PaymentAllocation.create(
        { tenantId: locked.tenantId, documentId: locked.id, source: 'write_off', amount },
        { client: trx }
      )
    }
    locked.status = 'written_off'
    locked.writtenOffAt = DateTime.now()
    locked.balanceDue = 0
    locked.version += 1
    await locked.save()
    return locked
  })
  await emitTransition(updated, 'written_off', before, { amount, reason: reason ?? null })
  return updated
}
