/*
| /api/v1/quotes, /invoices, /credit-notes: drafts CRUD, lists with filters and cursor pagination,
| and the lifecycle actions. One controller for the three types (the route passes the type).
*/
import type { HttpContext } from '@adonisjs/core/http'
import vine from '@vinejs/vine'
import { defineListing } from '#api/pagination'
import { NotFoundError } from '#exceptions/domain_errors'
import Document, { DOCUMENT_STATUSES, type DocumentType } from '../../models/document.js'
import type DocumentLine from '../../models/document_line.js'
import {
  acceptQuote,
  convertQuoteToInvoice,
  createCreditNote,
  createDraft,
  declineQuote,
  deleteDraft,
  finalize,
  findDocument,
  linesOf,
  markSent,
  updateDraft,
  voidWithCreditNote,
  writeOff,
  type DraftInput,
} from '../../services/documents.js'
import { applyCredit } from '../../services/ledger.js'
import { filteredDocuments } from '../../services/documents_list.js'
import { publicPath } from '../../services/documents_tokens.js'
import { today } from '../../services/numbering.js'
import { documentPdf } from '../../services/document_pdf.js'
import { LedgerError } from '../../exceptions/document_errors.js'
import {
  applyCreditValidator,
  createDocumentValidator,
  creditNoteValidator,
  toDraftInput,
  updateDocumentValidator,
  writeOffValidator,
} from '../../validators/documents.js'
import { formatRate } from '../../services/money.js'

const isoDate = () => vine.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional()

export const documentsListing = defineListing({
  sorts: {
    issue_date: 'invoicing_documents.issue_date',
    created_at: 'invoicing_documents.created_at',
    total: 'invoicing_documents.total',
    client_name: 'invoicing_documents.client_name',
    balance_due: 'invoicing_documents.balance_due',
  },
  defaultSort: '-issue_date',
  filters: {
    status: vine.enum([...DOCUMENT_STATUSES, 'overdue'] as const).optional(),
    client_id: vine.number().withoutDecimals().positive().optional(),
    issued_from: isoDate(),
    issued_to: isoDate(),
    due_from: isoDate(),
    due_to: isoDate(),
    min_total: vine.number().withoutDecimals().optional(),
    max_total: vine.number().withoutDecimals().optional(),
    q: vine.string().trim().minLength(1).maxLength(100).optional(),
  },
})

function quantityText(tenThousandths: number) {
  const sign = tenThousandths < 0 ? '-' : ''
  const abs = Math.abs(tenThousandths)
  const fraction = String(abs % 10_000).padStart(4, '0').replace(/0+$/, '')
  return `${sign}${Math.trunc(abs / 10_000)}${fraction ? '.' + fraction : ''}`
}

export function serializeLine(line: DocumentLine) {
  return {
    id: line.id,
    position: line.position,
    product_id: line.productId ?? null,
    description: line.description,
    quantity: quantityText(line.quantity),
    unit: line.unit,
    unit_price: line.unitPrice,
    discount_type: line.discountType ?? null,
    discount_percent: line.discountType === 'percent' ? formatRate(line.discountValue) : null,
    discount_amount: line.discountType === 'amount' ? line.discountValue : null,
    tax_rate_id: line.taxRateId ?? null,
    tax_name: line.taxName ?? null,
    tax_percent: formatRate(line.taxRate),
    tax_category: line.taxCategory,
    tax_exemption_reason: line.taxExemptionReason ?? null,
    amount: line.netAmount,
  }
}

export function serializeDocument(doc: Document, lines?: DocumentLine[]) {
  return {
    id: doc.id,
    type: doc.type,
    status: doc.status,
    overdue: doc.isOverdue(today()),
    number: doc.number ?? null,
    client_id: doc.clientId,
    client_name: doc.clientName,
    related_document_id: doc.relatedDocumentId ?? null,
    series_id: doc.seriesId ?? null,
    currency: doc.currency,
    language: doc.language,
    prices_include_tax: doc.pricesIncludeTax,
    issue_date: doc.issueDate,
    due_date: doc.dueDate ?? null,
    delivery_date: doc.deliveryDate ?? null,
    valid_until: doc.validUntil ?? null,
    buyer_reference: doc.buyerReference ?? null,
    order_reference: doc.orderReference ?? null,
    payment_means_code: doc.paymentMeansCode,
    payment_terms_days: doc.paymentTermsDays ?? null,
    notes: doc.notes ?? null,
    terms: doc.terms ?? null,
    footer: doc.footer ?? null,
    discount_type: doc.discountType ?? null,
    discount_percent: doc.discountType === 'percent' ? formatRate(doc.discountValue) : null,
    discount_amount: doc.discountType === 'amount' ? doc.discountValue : null,
    subtotal: doc.subtotal,
    discount_total: doc.discountTotal,
    net_total: doc.netTotal,
    tax_total: doc.taxTotal,
    total: doc.total,
    amount_paid: doc.amountPaid,
    amount_credited: doc.amountCredited,
    balance_due: doc.balanceDue,
    tax_breakdown: doc.taxBreakdown.map((g) => ({
      tax_percent: formatRate(g.rate),
      tax_category: g.category,
      exemption_reason: g.exemptionReason,
      net: g.net,
      tax: g.tax,
    })),
    seller: doc.sellerSnapshot ?? null,
    buyer: doc.buyerSnapshot ?? null,
    public_path: publicPath(doc),
    version: doc.version,
    finalized_at: doc.finalizedAt?.toUTC().toISO() ?? null,
    sent_at: doc.sentAt?.toUTC().toISO() ?? null,
    viewed_at: doc.viewedAt?.toUTC().toISO() ?? null,
    paid_at: doc.paidAt?.toUTC().toISO() ?? null,
    voided_at: doc.voidedAt?.toUTC().toISO() ?? null,
    written_off_at: doc.writtenOffAt?.toUTC().toISO() ?? null,
    accepted_at: doc.acceptedAt?.toUTC().toISO() ?? null,
    declined_at: doc.declinedAt?.toUTC().toISO() ?? null,
    created_at: doc.createdAt.toUTC().toISO(),
    updated_at: doc.updatedAt.toUTC().toISO(),
    ...(lines ? { lines: lines.map(serializeLine) } : {}),
  }
}

async function full(doc: Document) {
  return { data: serializeDocument(doc, await linesOf(doc)) }
}

function userId(ctx: HttpContext) {
  return (ctx as any).auth?.use('api').user?.id ?? null
}

export default class DocumentsApiController {
  async index(ctx: HttpContext, type: DocumentType) {
    const params = await documentsListing.validate(ctx)
    const query = filteredDocuments(type, {
      status: params.status,
      clientId: params.client_id,
      issuedFrom: params.issued_from,
      issuedTo: params.issued_to,
      dueFrom: params.due_from,
      dueTo: params.due_to,
      minTotal: params.min_total,
      maxTotal: params.max_total,
      q: params.q,
    })
    const page = await documentsListing.paginate(query, params)
    return documentsListing.respond(ctx, page, (doc: Document) => serializeDocument(doc))
  }

  async store(ctx: HttpContext, type: DocumentType) {
    if (type === 'credit_note') {
      const body = await ctx.request.validateUsing(creditNoteValidator)
      const invoice = await findDocument(body.invoice_id, 'invoice')
      const selection = body.lines ? body.lines.map((l) => ({ lineId: l.line_id, quantity: l.quantity as number | undefined })) : 'full'
      let note = await createCreditNote(invoice, selection, { userId: userId(ctx) })
      if (body.finalize) note = await finalize(note)
      ctx.response.status(201)
      return full(note)
    }
    const body = await ctx.request.validateUsing(createDocumentValidator)
    const doc = await createDraft(type, toDraftInput(body) as unknown as DraftInput, { userId: userId(ctx) })
    ctx.response.status(201)
    return full(doc)
  }

  async show({ params }: HttpContext, type: DocumentType) {
    return full(await findDocument(params.id, type))
  }

  async update(ctx: HttpContext, type: DocumentType) {
    const doc = await findDocument(ctx.params.id, type)
    const body = await ctx.request.validateUsing(updateDocumentValidator)
    return full(await updateDraft(doc, toDraftInput(body) as Partial<DraftInput>))
  }

  async destroy(ctx: HttpContext, type: DocumentType) {
    await deleteDraft(await findDocument(ctx.params.id, type))
    return ctx.response.noContent()
  }

  async finalize({ params }: HttpContext, type: DocumentType) {
    return full(await finalize(await findDocument(params.id, type)))
  }

  /**
   * Sends the document by email through the sending job when there is an address (the body's
   * `to`, else the client's); `mark_only: true` just records that it was sent another way.
   */
  async send(ctx: HttpContext, type: DocumentType) {
    const body = await ctx.request.validateUsing(
      vine.create(vine.object({ to: vine.string().trim().email().optional(), mark_only: vine.boolean().optional() }))
    )
    let doc = await findDocument(ctx.params.id, type)
    if (doc.status === 'draft') doc = await finalize(doc)
    if (body.mark_only) return full(await markSent(doc))
    const { default: Client } = await import('../../models/client.js')
    const client = await Client.query().where('id', doc.clientId).first()
    const to = body.to ?? client?.email
    if (!to) throw new LedgerError('The client has no email address; give one in "to"', 'invoicing_core.errors.no_recipient', 'E_NO_RECIPIENT')
    const { dispatchSend } = await import('../../services/document_delivery.js')
    const { assertTransition } = await import('../../services/lifecycle.js')
    assertTransition(doc, 'send')
    const job = await dispatchSend(doc.tenantId, doc, to, userId(ctx))
    ctx.response.status(202)
    return { data: serializeDocument(doc), job: { id: (job as any)?.id ?? null, to } }
  }

  async void({ params }: HttpContext) {
    const { invoice, creditNote } = await voidWithCreditNote(await findDocument(params.id, 'invoice'))
    return { data: serializeDocument(invoice), credit_note: serializeDocument(creditNote) }
  }

  async writeOff(ctx: HttpContext) {
    const body = await ctx.request.validateUsing(writeOffValidator)
    return full(await writeOff(await findDocument(ctx.params.id, 'invoice'), body.reason))
  }

  async applyCredit(ctx: HttpContext) {
    const body = await ctx.request.validateUsing(applyCreditValidator)
    const invoice = await findDocument(ctx.params.id, 'invoice')
    const result = await applyCredit({ tenantId: invoice.tenantId, invoiceId: invoice.id, amount: body.amount })
    return { data: serializeDocument(result.invoice), applied: result.amount }
  }

  async accept({ params }: HttpContext) {
    return full(await acceptQuote(await findDocument(params.id, 'quote')))
  }

  async decline({ params }: HttpContext) {
    return full(await declineQuote(await findDocument(params.id, 'quote')))
  }

  async convert(ctx: HttpContext) {
    const invoice = await convertQuoteToInvoice(await findDocument(ctx.params.id, 'quote'), { userId: userId(ctx) })
    ctx.response.status(201)
    return full(invoice)
  }

  async pdf(ctx: HttpContext, type: DocumentType) {
    const doc = await findDocument(ctx.params.id, type)
    if (!doc) throw new NotFoundError()
    const bytes = await documentPdf(doc)
    const name = `${doc.type}-${doc.number ?? `draft-${doc.id}`}.pdf`.replace(/[^A-Za-z0-9._-]/g, '-')
    ctx.response.header('Content-Type', 'application/pdf')
    ctx.response.header('Content-Disposition', `attachment; filename="${name}"`)
    ctx.response.header('Cache-Control', 'private, no-store')
    return ctx.response.send(bytes)
  }
}
