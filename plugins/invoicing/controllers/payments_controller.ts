import type { HttpContext } from '@adonisjs/core/http'
import vine from '@vinejs/vine'
import db from '@adonisjs/lucid/services/db'
import { wantsFragment } from '#controllers/settings/form_support'
import { likeContains } from '#api/pagination'
import Payment, { PAYMENT_METHODS } from '#plugins/invoicing/models/payment'
import PaymentAllocation from '#plugins/invoicing/models/payment_allocation'
import Document from '#plugins/invoicing/models/document'
import { decodeCursor, encodeCursor } from '#plugins/invoicing/services/document_listing'
import { formatDate, money, urlOf } from '#plugins/invoicing/services/document_view'
import { clientOptions } from './documents_pages.js'
import { localeOf, readFilter, withQuery } from './list_support.js'

const date = () =>
  vine
    .string()
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional()

const filterValidator = vine.create(
  vine.object({
    q: vine.string().trim().maxLength(100).optional(),
    client: vine.number().withoutDecimals().positive().optional(),
    method: vine.enum(PAYMENT_METHODS).optional(),
    from: date(),
    to: date(),
    cursor: vine.string().trim().maxLength(500).optional(),
  })
)
type Filter = Awaited<ReturnType<typeof filterValidator.validate>>

const LABELS = {
  q: 'invoicing_ui.filters.search',
  client: 'invoicing_ui.filters.client',
  method: 'invoicing_ui.filters.method',
  from: 'invoicing_ui.filters.paid_from',
  to: 'invoicing_ui.filters.paid_to',
  cursor: 'invoicing_ui.filters.cursor',
}
const BASE = '/app/invoicing/payments'
const PAGE = 25
const SORT = 'paid'

/** Payment history: every payment and refund, newest first, with filters and keyset pages */
export default class PaymentsController {
  async index(ctx: HttpContext) {
    ctx.response.header('Vary', 'HX-Request')
    const { filter, errors, raw } = await readFilter<Filter>(ctx, filterValidator, LABELS, ['q', 'client', 'method', 'from', 'to'])
    const locale = localeOf(ctx)
    let rows: Payment[] = []
    let nextCursor: string | null = null
    if (!Object.keys(errors).length) {
      const query = Payment.query()
      if (filter.client) query.where('client_id', filter.client)
      if (filter.method) query.where('method', filter.method)
      if (filter.from) query.where('paid_on', '>=', filter.from)
      if (filter.to) query.where('paid_on', '<=', filter.to)
      if (filter.q) query.whereRaw(`lower(coalesce(reference, '')) like ? escape '\\'`, [likeContains(filter.q)])
      const cursor = decodeCursor(filter.cursor, SORT)
      if (cursor) query.whereRaw('(paid_on < ? or (paid_on = ? and id < ?))', [cursor.v, cursor.v, cursor.i])
      const found = await query.orderBy('paid_on', 'desc').orderBy('id', 'desc').limit(PAGE + 1)
      rows = found.slice(0, PAGE)
      const last = rows[rows.length - 1]
      if (found.length > PAGE && last) nextCursor = encodeCursor({ s: SORT, v: last.paidOn, i: last.id })
    }
    const ids = rows.map((p) => p.id)
    const allocations = ids.length ? await PaymentAllocation.query().whereIn('payment_id', ids).where('amount', '>', 0) : []
    const docIds = [...new Set(allocations.map((a) => a.documentId))]
    const docs = docIds.length ? await Document.query().whereIn('id', docIds) : []
    const docById = new Map(docs.map((d) => [d.id, d]))
    const clientIds = [...new Set(rows.map((p) => p.clientId))]
    const names = clientIds.length
      ? new Map((await db.from('invoicing_clients').where('tenant_id', ctx.tenant!.id).whereIn('id', clientIds).select('id', 'name')).map((c: any) => [Number(c.id), String(c.name)]))
      : new Map<number, string>()
    const kept: Record<string, string> = {}
    for (const key of ['q', 'client', 'method', 'from', 'to']) if (raw[key] && !errors[key]) kept[key] = raw[key]
    const data = {
      rows: rows.map((p) => ({
        id: p.id,
        date: formatDate(p.paidOn, locale),
        client: names.get(p.clientId) ?? '—',
        method: ctx.i18n.t(`invoicing_ui.payments.methods.${p.method}`),
        kind: p.kind,
        reference: p.reference,
        amount: money(p.kind === 'refund' ? -p.amount : p.amount, p.currency, locale),
        documents: allocations
          .filter((a) => a.paymentId === p.id)
          .map((a) => docById.get(a.documentId))
          .filter((d): d is Document => !!d)
          .map((d) => ({ url: urlOf(d), label: d.number ?? `#${d.id}` })),
      })),
      errors,
      filter: kept,
      nextUrl: nextCursor ? withQuery(BASE, { ...kept, cursor: nextCursor }) : null,
      firstUrl: raw.cursor ? withQuery(BASE, kept) : null,
      filtered: Object.keys(kept).length > 0,
    }
    if (wantsFragment(ctx)) return ctx.view.render('invoicing::partials/payments/list', data)
    return ctx.view.render('invoicing::pages/payments/index', {
      ...data,
      clients: await clientOptions(),
      methods: PAYMENT_METHODS.map((m) => ({ value: m, label: ctx.i18n.t(`invoicing_ui.payments.methods.${m}`) })),
    })
  }
}
