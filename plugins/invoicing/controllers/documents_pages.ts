/*
| The staff pages of one document type (invoices, quotes, credit notes share them): the list with
| filters, search, sorting and keyset pagination. One URL answers the full page or, for an HTMX
| request, the list fragment (stable id invoicing-<type>-list).
*/
import type { HttpContext } from '@adonisjs/core/http'
import { DateTime } from 'luxon'
import Client from '#plugins/invoicing/models/client'
import type Document from '#plugins/invoicing/models/document'
import type { DocumentType } from '#plugins/invoicing/models/document'
import { wantsFragment } from '#controllers/settings/form_support'
import { DomainError } from '#exceptions/domain_errors'
import plugins from '#kernel/plugin_service'
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
} from '#plugins/invoicing/services/documents'
import { allocationsOf, recordPayment } from '#plugins/invoicing/services/ledger'
import { canTransition } from '#plugins/invoicing/services/lifecycle'
import { publicPath } from '#plugins/invoicing/services/documents_tokens'
import { tenantUrl } from '#services/mail_service'
import { resolveTheme } from '#theming/theme'
import Payment, { PAYMENT_METHODS } from '#plugins/invoicing/models/payment'
import DocumentModel from '#plugins/invoicing/models/document'
import { parseAmount, MoneyError } from '#plugins/invoicing/services/money'
import { formatDate, partiesOf, presentDocument } from '#plugins/invoicing/services/document_view'
import { dispatchSend, pdfResponse } from '#plugins/invoicing/services/document_delivery'
import { currencies } from '#plugins/invoicing/services/money'
import { amountInput, rateLabel, money as formatMoney } from '#plugins/invoicing/services/document_view'
import {
  applyProducts,
  blankLine,
  editorOptions,
  parseState,
  previewTotals,
  readState,
  stateOf,
  type EditorOptions,
  type FormState,
} from './document_form.js'
import {
  AmountFilterError,
  FILTER_KEYS,
  FILTER_STATUSES,
  listDocuments,
  listFilterValidator,
  todayIn,
  type ListFilter,
} from '#plugins/invoicing/services/document_listing'
import { TYPES, presentRow, urlOf } from '#plugins/invoicing/services/document_view'
import { localeOf, readFilter, withQuery } from './list_support.js'

export const FILTER_LABELS = {
  q: 'invoicing_ui.filters.search',
  status: 'invoicing_ui.filters.status',
  client: 'invoicing_ui.filters.client',
  currency: 'invoicing_ui.filters.currency',
  from: 'invoicing_ui.filters.from',
  to: 'invoicing_ui.filters.to',
  min: 'invoicing_ui.filters.min',
  max: 'invoicing_ui.filters.max',
  sort: 'invoicing_ui.filters.sort',
  cursor: 'invoicing_ui.filters.cursor',
}

/* Statuses each type can be in, for the status filter */
const STATUSES: Record<DocumentType, string[]> = {
  invoice: ['draft', 'finalized', 'sent', 'viewed', 'partially_paid', 'paid', 'overdue', 'void', 'written_off'],
  quote: ['draft', 'finalized', 'sent', 'viewed', 'accepted', 'declined', 'converted'],
  credit_note: ['draft', 'finalized', 'sent', 'viewed'],
}

export async function clientOptions() {
  const clients = await Client.query().whereNull('archived_at').whereNull('merged_into_id').orderBy('name').limit(1000)
  return clients.map((c) => ({ value: c.id, label: c.name, currency: c.currency }))
}

export function listData(ctx: HttpContext, type: DocumentType) {
  const info = TYPES[type]
  return async () => {
    const { filter, errors, raw } = await readFilter<ListFilter>(ctx, listFilterValidator, FILTER_LABELS)
    const zone = ctx.tenant!.timezone
    const today = todayIn(zone)
    const locale = localeOf(ctx)
    let page = { rows: [] as any[], nextCursor: null as string | null, sort: filter.sort ?? '-created' }
    if (!Object.keys(errors).length) {
      try {
        page = await listDocuments(type, filter, zone)
      } catch (error) {
        if (!(error instanceof AmountFilterError)) throw error
        errors[error.field] = ctx.i18n.t('invoicing_ui.filters.bad_amount')
      }
    }
    const kept: Record<string, string> = {}
    for (const key of FILTER_KEYS) if (raw[key] && !errors[key]) kept[key] = raw[key]
    const sortLink = (key: string) => {
      const current = page.sort
      const next = current === key ? `-${key}` : key
      return {
        url: withQuery(info.base, { ...kept, sort: next }),
        active: current === key || current === `-${key}`,
        direction: current === key ? 'ascending' : current === `-${key}` ? 'descending' : undefined,
      }
    }
    return {
      info,
      rows: page.rows.map((doc) => presentRow(doc, locale, today)),
      filter: kept,
      errors,
      sorts: Object.fromEntries(['number', 'client', 'issue_date', 'due_date', 'total'].map((k) => [k, sortLink(k)])),
      selfUrl: withQuery(info.base, { ...kept, cursor: raw.cursor }),
      nextUrl: page.nextCursor ? withQuery(info.base, { ...kept, cursor: page.nextCursor }) : null,
      firstUrl: raw.cursor ? withQuery(info.base, kept) : null,
      filtered: Object.keys(kept).some((k) => k !== 'sort'),
      statuses: STATUSES[type].filter((s) => (FILTER_STATUSES as readonly string[]).includes(s)),
    }
  }
}

/** The live totals as the editor shows them */
function presentPreview(state: FormState, options: EditorOptions, locale: string) {
  const { totals, currency, lineIndexes } = previewTotals(state, options)
  const fmt = (n: number) => formatMoney(n, currency, locale)
  return {
    subtotal: fmt(totals.subtotal),
    discount: fmt(totals.discountTotal),
    hasDiscount: totals.discountTotal !== 0,
    total: fmt(totals.total),
    groups: totals.taxGroups.filter((g) => g.tax !== 0 || g.rate !== 0).map((g) => ({ label: rateLabel(g.rate, locale), tax: fmt(g.tax) })),
    lines: lineIndexes.map((index, i) => ({ index, amount: fmt(totals.lineAmounts[i]) })),
  }
}

/** Turns a refusal of the documents service into a message the page can show */
export function refusal(ctx: HttpContext, error: unknown): string | null {
  if (!(error instanceof DomainError) || error.status === 404 || error.status === 403) return null
  return error.messageKey && ctx.i18n.hasMessage(error.messageKey) ? ctx.i18n.t(error.messageKey) : error.message
}

export default abstract class DocumentsPages {
  abstract type: DocumentType

  get info() {
    return TYPES[this.type]
  }

  async index(ctx: HttpContext) {
    ctx.response.header('Vary', 'HX-Request')
    const data = await listData(ctx, this.type)()
    if (wantsFragment(ctx)) return ctx.view.render('invoicing::partials/documents/list', data)
    const used = await DocumentModel.query().where('type', this.type).distinct('currency').orderBy('currency')
    return ctx.view.render('invoicing::pages/documents/index', {
      ...data,
      clients: await clientOptions(),
      currencies: used.map((d) => d.currency),
    })
  }

  protected async findOwn(ctx: HttpContext) {
    return findDocument(ctx.params.id, this.type)
  }

  /** A new draft's form: the client and defaults from the query string (e.g. ?client=12) */
  async create(ctx: HttpContext) {
    const options = await editorOptions()
    const clients = await clientOptions()
    const settings = (await plugins.settingsFor(ctx.tenant!.id, 'invoicing')) as Record<string, any>
    const preset = clients.find((c) => String(c.value) === String(ctx.request.input('client', '')))
    const today = DateTime.now().setZone(ctx.tenant!.timezone)
    const state: FormState = {
      client_id: preset ? String(preset.value) : '',
      currency: preset?.currency ?? String(settings.defaultCurrency ?? 'EUR'),
      language: ctx.i18n.locale === 'de' ? 'de' : 'en',
      issue_date: today.toISODate()!,
      due_date: this.type === 'invoice' ? today.plus({ days: Number(settings.paymentTermsDays ?? 14) }).toISODate()! : '',
      valid_until: this.type === 'quote' ? today.plus({ days: Number(settings.quoteValidityDays ?? 30) }).toISODate()! : '',
      delivery_date: '',
      buyer_reference: '',
      order_reference: '',
      prices_include_tax: Boolean(settings.pricesIncludeTax),
      discount_type: '',
      discount_value: '',
      notes: '',
      terms: String(settings.defaultTerms ?? ''),
      footer: String(settings.defaultFooter ?? ''),
      lines: [blankLine(options.defaultTaxRateId)],
    }
    return this.renderForm(ctx, null, state, options, {})
  }

  async edit(ctx: HttpContext) {
    const doc = await this.findOwn(ctx)
    if (!doc.isDraft) return ctx.response.redirect(urlOf(doc))
    return this.renderForm(ctx, doc, stateOf(doc, await linesOf(doc)), await editorOptions(), {})
  }

  async store(ctx: HttpContext) {
    return this.save(ctx, null)
  }

  async update(ctx: HttpContext) {
    const doc = await this.findOwn(ctx)
    if (!doc.isDraft) return ctx.response.redirect(urlOf(doc))
    return this.save(ctx, doc)
  }

  /** HTMX: the totals for what the form holds now (and each line's amount, out of band) */
  async preview(ctx: HttpContext) {
    const state = readState(ctx)
    const options = await editorOptions()
    applyProducts(state, options)
    return ctx.view.render('invoicing::partials/documents/totals', {
      preview: presentPreview(state, options, localeOf(ctx)),
      lineOob: true,
      totalsOob: false,
    })
  }

  /** HTMX: the lines after a product was picked (its values filled in), with fresh totals */
  async lines(ctx: HttpContext) {
    const state = readState(ctx)
    const options = await editorOptions()
    applyProducts(state, options)
    const preview = presentPreview(state, options, localeOf(ctx))
    return ctx.view.render('invoicing::partials/documents/editor_lines', {
      ...this.formView(ctx, null, state, options, {}, preview),
      totalsOob: true,
    })
  }

  /** The document with its status, totals, payments, public link, history and the actions the user may take */
  async show(ctx: HttpContext) {
    const doc = await this.findOwn(ctx)
    const locale = localeOf(ctx)
    const today = todayIn(ctx.tenant!.timezone)
    const [lines, client, allocations] = await Promise.all([
      linesOf(doc),
      Client.query().where('id', doc.clientId).first(),
      doc.type === 'invoice' ? allocationsOf(doc) : Promise.resolve([]),
    ])
    const related = doc.relatedDocumentId ? await DocumentModel.query().where('id', doc.relatedDocumentId).first() : null
    const paymentIds = allocations.map((a) => a.paymentId).filter((id): id is number => !!id)
    const paymentRows = paymentIds.length ? await Payment.query().whereIn('id', paymentIds) : []
    const byId = new Map(paymentRows.map((p) => [p.id, p]))
    const payments = allocations
      .filter((a) => a.amount !== 0)
      .map((a) => {
        const p = a.paymentId ? byId.get(a.paymentId) : undefined
        return {
          date: formatDate(p?.paidOn ?? a.createdAt.toISODate(), locale),
          label: p ? ctx.i18n.t(`invoicing_ui.payments.methods.${p.method}`) + (p.reference ? ` · ${p.reference}` : '') : ctx.i18n.t(`invoicing_ui.show.credited`),
          amount: formatMoney(a.amount, doc.currency, locale),
        }
      })
    const issue = ctx.permissions.has('invoicing.documents.issue')
    const manage = ctx.permissions.has('invoicing.documents.manage')
    const can = {
      finalize: issue && canTransition(doc, 'finalize'),
      send: issue && canTransition(doc, 'send'),
      pay: ctx.permissions.has('invoicing.payments.manage') && canTransition(doc, 'pay'),
    }
    const simpleActions = [
      issue && canTransition(doc, 'send') && !doc.sentAt ? { path: 'mark-sent', label: 'mark_sent' } : null,
      issue && doc.type === 'quote' && canTransition(doc, 'accept') ? { path: 'accept', label: 'accept' } : null,
      issue && doc.type === 'quote' && canTransition(doc, 'decline') ? { path: 'decline', label: 'decline' } : null,
      manage && doc.type === 'quote' && canTransition(doc, 'convert') ? { path: 'convert', label: 'convert' } : null,
      manage && doc.type === 'invoice' && !doc.isDraft && doc.status !== 'void' ? { path: 'credit-note', label: 'credit_note' } : null,
      issue && canTransition(doc, 'write_off') && doc.balanceDue > 0
        ? { path: 'write-off', label: 'write_off', confirm: ctx.i18n.t('invoicing_ui.actions.write_off_confirm'), danger: true }
        : null,
      issue && canTransition(doc, 'void') ? { path: 'void', label: 'void', confirm: ctx.i18n.t('invoicing_ui.actions.void_confirm'), danger: true } : null,
      manage && doc.isDraft ? { path: 'delete', label: 'delete', confirm: ctx.i18n.t('invoicing_ui.actions.delete_confirm'), danger: true } : null,
    ].filter(Boolean)
    const path = publicPath(doc)
    const zone = ctx.tenant!.timezone
    const at = (key: string, time: DateTime | null) =>
      time ? { key, iso: time.toUTC().toISO(), label: time.setZone(zone).setLocale(locale).toLocaleString(DateTime.DATETIME_SHORT) } : null
    const timeline = [
      at('created', doc.createdAt),
      at('finalized', doc.finalizedAt),
      at('sent', doc.sentAt),
      at('viewed', doc.viewedAt),
      at('accepted', doc.acceptedAt),
      at('declined', doc.declinedAt),
      at('paid', doc.paidAt),
      at('written_off', doc.writtenOffAt),
      at('voided', doc.voidedAt),
    ].filter(Boolean)
    const flash = ctx.session.flashMessages
    return ctx.view.render('invoicing::pages/documents/show', {
      info: this.info,
      d: presentDocument(doc, lines, locale, today),
      parties: partiesOf(doc, ctx.tenant!, client),
      logoUrl: resolveTheme(ctx.tenant!.theme).logoUrl,
      related: related ? { id: related.id, number: related.number, url: urlOf(related) } : null,
      can,
      simpleActions,
      actionsShown: can.send || simpleActions.length > 0,
      sendTo: flash.get('to') ?? client?.email ?? '',
      payments,
      methods: PAYMENT_METHODS.map((m) => ({ value: m, label: ctx.i18n.t(`invoicing_ui.payments.methods.${m}`) })),
      paymentValues: {
        amount: flash.get('amount') ?? (doc.balanceDue > 0 ? amountInput(doc.balanceDue, doc.currency) : ''),
        paid_on: flash.get('paid_on') ?? today,
        method: flash.get('method') ?? 'bank_transfer',
        reference: flash.get('reference') ?? '',
      },
      publicPath: path,
      publicUrl: path ? await tenantUrl(ctx.tenant!, path) : null,
      timeline,
      slotDocument: { id: doc.id, type: doc.type, status: doc.status, number: doc.number, currency: doc.currency, total: doc.total, balanceDue: doc.balanceDue, clientId: doc.clientId },
    })
  }

  async pdf(ctx: HttpContext) {
    const doc = await this.findOwn(ctx)
    return pdfResponse(ctx, doc)
  }

  async finalize(ctx: HttpContext) {
    return this.transition(ctx, async (doc) => {
      const done = await finalize(doc)
      return { doc: done, message: ctx.i18n.t('invoicing_ui.actions.done.finalize', { number: done.number ?? '' }) }
    })
  }

  async markSent(ctx: HttpContext) {
    return this.transition(ctx, async (doc) => ({ doc: await markSent(doc), message: ctx.i18n.t('invoicing_ui.actions.done.mark_sent') }))
  }

  async accept(ctx: HttpContext) {
    return this.transition(ctx, async (doc) => ({ doc: await acceptQuote(doc), message: ctx.i18n.t('invoicing_ui.actions.done.accept') }))
  }

  async decline(ctx: HttpContext) {
    return this.transition(ctx, async (doc) => ({ doc: await declineQuote(doc), message: ctx.i18n.t('invoicing_ui.actions.done.decline') }))
  }

  async convert(ctx: HttpContext) {
    return this.transition(ctx, async (doc) => ({
      doc: await convertQuoteToInvoice(doc, { userId: ctx.auth.use('web').user?.id ?? null }),
      message: ctx.i18n.t('invoicing_ui.actions.done.convert'),
    }))
  }

  async creditNote(ctx: HttpContext) {
    return this.transition(ctx, async (doc) => ({
      doc: await createCreditNote(doc, 'full', { userId: ctx.auth.use('web').user?.id ?? null }),
      message: ctx.i18n.t('invoicing_ui.actions.done.credit_note'),
    }))
  }

  async void(ctx: HttpContext) {
    return this.transition(ctx, async (doc) => {
      const { invoice, creditNote } = await voidWithCreditNote(doc, { userId: ctx.auth.use('web').user?.id ?? null })
      return { doc: invoice, message: ctx.i18n.t('invoicing_ui.actions.done.void', { number: creditNote.number ?? '' }) }
    })
  }

  async writeOff(ctx: HttpContext) {
    return this.transition(ctx, async (doc) => ({ doc: await writeOff(doc), message: ctx.i18n.t('invoicing_ui.actions.done.write_off') }))
  }

  async destroy(ctx: HttpContext) {
    const doc = await this.findOwn(ctx)
    try {
      await deleteDraft(doc)
    } catch (error) {
      const message = refusal(ctx, error)
      if (!message) throw error
      ctx.session.flash('error', ctx.i18n.t('invoicing_ui.actions.refused', { message }))
      return ctx.response.redirect(urlOf(doc))
    }
    ctx.session.flash('success', ctx.i18n.t('invoicing_ui.actions.done.delete'))
    return ctx.response.redirect(this.info.base)
  }

  /** Sends the document by email in the background (job invoicing:send_document) */
  async send(ctx: HttpContext) {
    const doc = await this.findOwn(ctx)
    const to = String(ctx.request.input('to', '')).trim()
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(to) || to.length > 254) {
      ctx.session.flashExcept(['_csrf'])
      ctx.session.flashErrors({ to: ctx.i18n.t('invoicing_ui.actions.no_email') })
      return ctx.response.redirect(urlOf(doc))
    }
    if (!canTransition(doc, 'send')) {
      ctx.session.flash('error', ctx.i18n.t('invoicing_ui.actions.refused', { message: ctx.i18n.t('invoicing_ui.status.' + doc.status) }))
      return ctx.response.redirect(urlOf(doc))
    }
    await dispatchSend(ctx.tenant!.id, doc, to, ctx.auth.use('web').user?.id ?? null)
    ctx.session.flash('success', ctx.i18n.t('invoicing_ui.actions.done.send', { email: to }))
    return ctx.response.redirect(urlOf(doc))
  }

  /** A manual payment against this invoice (bank transfer, cash, cheque, card, other) */
  async recordPayment(ctx: HttpContext) {
    const doc = await this.findOwn(ctx)
    const body = ctx.request.only(['amount', 'paid_on', 'method', 'reference'])
    const errors: Record<string, string> = {}
    let amount = 0
    try {
      amount = parseAmount(String(body.amount ?? ''), doc.currency)
    } catch (error) {
      if (!(error instanceof MoneyError)) throw error
    }
    if (amount <= 0) errors.amount = ctx.i18n.t('invoicing_ui.payments.errors.amount')
    const paidOn = String(body.paid_on ?? '')
    if (!/^\d{4}-\d{2}-\d{2}$/.test(paidOn) || !DateTime.fromISO(paidOn).isValid) errors.paid_on = ctx.i18n.t('invoicing_ui.payments.errors.date')
    const method = String(body.method ?? '')
    if (!(PAYMENT_METHODS as string[]).includes(method)) errors.method = ctx.i18n.t('invoicing_ui.payments.errors.method')
    const reference = String(body.reference ?? '').trim().slice(0, 200) || null
    if (Object.keys(errors).length) {
      ctx.session.flashExcept(['_csrf'])
      ctx.session.flashErrors(errors)
      return ctx.response.redirect(`${urlOf(doc)}#invoicing-payment-form`)
    }
    try {
      await recordPayment({
        tenantId: ctx.tenant!.id,
        invoiceId: doc.id,
        amount,
        currency: doc.currency,
        method: method as (typeof PAYMENT_METHODS)[number],
        reference,
        paidOn,
        userId: ctx.auth.use('web').user?.id ?? null,
      })
    } catch (error) {
      const message = refusal(ctx, error)
      if (!message) throw error
      ctx.session.flash('error', ctx.i18n.t('invoicing_ui.actions.refused', { message }))
      return ctx.response.redirect(urlOf(doc))
    }
    ctx.session.flash('success', ctx.i18n.t('invoicing_ui.actions.done.payment', { amount: formatMoney(amount, doc.currency, localeOf(ctx)) }))
    return ctx.response.redirect(urlOf(doc))
  }

  /** Runs a lifecycle action; a refusal (wrong status, empty document, …) comes back as a toast */
  private async transition(ctx: HttpContext, run: (doc: Document) => Promise<{ doc: Document; message: string }>) {
    const doc = await this.findOwn(ctx)
    try {
      const result = await run(doc)
      ctx.session.flash('success', result.message)
      return ctx.response.redirect(urlOf(result.doc))
    } catch (error) {
      const message = refusal(ctx, error)
      if (!message) throw error
      ctx.session.flash('error', ctx.i18n.t('invoicing_ui.actions.refused', { message }))
      return ctx.response.redirect(urlOf(doc))
    }
  }

  private async save(ctx: HttpContext, doc: Document | null) {
    const state = readState(ctx)
    const options = await editorOptions()
    applyProducts(state, options)
    const intent = String(ctx.request.input('intent', 'save'))
    if (intent === 'add_line') {
      state.lines.push(blankLine(options.defaultTaxRateId))
      return this.renderForm(ctx, doc, state, options, {})
    }
    if (intent.startsWith('remove:')) {
      state.lines.splice(Number(intent.slice(7)), 1)
      if (!state.lines.length) state.lines.push(blankLine(options.defaultTaxRateId))
      return this.renderForm(ctx, doc, state, options, {})
    }
    const t = (key: string, data?: Record<string, unknown>) => ctx.i18n.t(key, data)
    const { input, errors } = parseState(this.type, state, options, t)
    if (!input) return this.renderForm(ctx, doc, state, options, errors, 422)
    let saved: Document
    try {
      saved = doc ? await updateDraft(doc, input) : await createDraft(this.type, input, { userId: ctx.auth.use('web').user?.id ?? null })
    } catch (error) {
      const message = refusal(ctx, error)
      if (!message) throw error
      return this.renderForm(ctx, doc, state, options, { form: message }, 422)
    }
    if (intent === 'finalize' && ctx.permissions.has('invoicing.documents.issue')) {
      try {
        saved = await finalize(saved)
        ctx.session.flash('success', ctx.i18n.t('invoicing_ui.actions.done.finalize', { number: saved.number ?? '' }))
      } catch (error) {
        const message = refusal(ctx, error)
        if (!message) throw error
        ctx.session.flash('error', ctx.i18n.t('invoicing_ui.actions.refused', { message }))
      }
    } else {
      ctx.session.flash('success', ctx.i18n.t(doc ? 'invoicing_ui.editor.saved' : 'invoicing_ui.editor.created'))
    }
    return ctx.response.redirect(urlOf(saved))
  }

  private formView(
    ctx: HttpContext,
    doc: Document | null,
    state: FormState,
    options: EditorOptions,
    errors: Record<string, string>,
    preview = presentPreview(state, options, localeOf(ctx))
  ) {
    const info = this.info
    const lineAmounts: Record<number, string> = {}
    for (const line of preview.lines) lineAmounts[line.index] = line.amount
    return {
      info,
      doc,
      draftForm: state,
      options,
      errors,
      preview,
      lineAmounts,
      currencies: currencies().sort(),
      dateFields: ['issue_date', this.type === 'quote' ? 'valid_until' : this.type === 'invoice' ? 'due_date' : null, 'delivery_date'].filter(Boolean),
      formAction: doc ? `${info.base}/${doc.id}` : info.base,
      previewUrl: `${info.base}/editor/totals`,
      editorUrl: `${info.base}/editor/lines`,
      lineOob: false,
      totalsOob: false,
    }
  }

  private async renderForm(
    ctx: HttpContext,
    doc: Document | null,
    state: FormState,
    options: EditorOptions,
    errors: Record<string, string>,
    status = 200
  ) {
    if (!state.lines.length) state.lines.push(blankLine(options.defaultTaxRateId))
    ctx.response.status(status)
    return ctx.view.render('invoicing::pages/documents/form', {
      ...this.formView(ctx, doc, state, options, errors),
      clients: await clientOptions(),
    })
  }
}
