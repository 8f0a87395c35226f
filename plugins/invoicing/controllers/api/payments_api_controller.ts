/* /api/v1/payments: the payments ledger (list, record, show, refund) */
import type { HttpContext } from '@adonisjs/core/http'
import vine from '@vinejs/vine'
import { defineListing, likeContains } from '#api/pagination'
import Payment, { PAYMENT_METHODS } from '../../models/payment.js'
import PaymentAllocation from '../../models/payment_allocation.js'
import { findPayment, recordPayment, refundPayment } from '../../services/ledger.js'
import { recordPaymentValidator, refundPaymentValidator } from '../../validators/documents.js'
import { serializeDocument } from './documents_api_controller.js'

const isoDate = () => vine.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional()

export const paymentsListing = defineListing({
  sorts: { paid_on: 'invoicing_payments.paid_on', created_at: 'invoicing_payments.created_at', amount: 'invoicing_payments.amount' },
  defaultSort: '-paid_on',
  filters: {
    client_id: vine.number().withoutDecimals().positive().optional(),
    invoice_id: vine.number().withoutDecimals().positive().optional(),
    kind: vine.enum(['payment', 'refund'] as const).optional(),
    method: vine.enum(PAYMENT_METHODS).optional(),
    paid_from: isoDate(),
    paid_to: isoDate(),
    min_amount: vine.number().withoutDecimals().optional(),
    max_amount: vine.number().withoutDecimals().optional(),
    q: vine.string().trim().minLength(1).maxLength(100).optional(),
  },
})

export function serializePayment(payment: Payment, allocations?: PaymentAllocation[]) {
  return {
    id: payment.id,
    kind: payment.kind,
    client_id: payment.clientId,
    method: payment.method,
    currency: payment.currency,
    amount: payment.amount,
    fee: payment.fee,
    refunded_amount: payment.refundedAmount,
    paid_on: payment.paidOn,
    reference: payment.reference,
    gateway: payment.gateway,
    gateway_reference: payment.gatewayReference,
    refund_of_id: payment.refundOfId,
    notes: payment.notes,
    created_at: payment.createdAt.toUTC().toISO(),
    ...(allocations
      ? { allocations: allocations.map((a) => ({ invoice_id: a.documentId, source: a.source, amount: a.amount })) }
      : {}),
  }
}

function userId(ctx: HttpContext) {
  return (ctx as any).auth?.use('api').user?.id ?? null
}

export default class PaymentsApiController {
  async index(ctx: HttpContext) {
    const params = await paymentsListing.validate(ctx)
    const query = Payment.query()
    if (params.client_id) query.where('invoicing_payments.client_id', params.client_id)
    if (params.kind) query.where('invoicing_payments.kind', params.kind)
    if (params.method) query.where('invoicing_payments.method', params.method)
    if (params.paid_from) query.where('invoicing_payments.paid_on', '>=', params.paid_from)
    if (params.paid_to) query.where('invoicing_payments.paid_on', '<=', params.paid_to)
    if (params.min_amount !== undefined) query.where('invoicing_payments.amount', '>=', params.min_amount)
    if (params.max_amount !== undefined) query.where('invoicing_payments.amount', '<=', params.max_amount)
    if (params.invoice_id) {
      query.whereIn(
        'invoicing_payments.id',
        PaymentAllocation.forTenant(ctx.tenant!.id).where('document_id', params.invoice_id).whereNotNull('payment_id').select('payment_id')
      )
    }
    if (params.q) {
      const term = likeContains(params.q)
      query.where((q) => {
        q.whereRaw(`lower(coalesce(invoicing_payments.reference, '')) like ? escape '\\'`, [term]).orWhereRaw(
          `lower(coalesce(invoicing_payments.gateway_reference, '')) like ? escape '\\'`,
          [term]
        )
      })
    }
    const page = await paymentsListing.paginate(query, params)
    return paymentsListing.respond(ctx, page, (p: Payment) => serializePayment(p))
  }

  async store(ctx: HttpContext) {
    const body = await ctx.request.validateUsing(recordPaymentValidator)
    const result = await recordPayment({
      tenantId: ctx.tenant!.id,
      invoiceId: body.invoice_id,
      clientId: body.client_id,
      amount: body.amount,
      currency: body.currency,
      method: body.method,
      paidOn: body.paid_on,
      reference: body.reference,
      notes: body.notes,
      userId: userId(ctx),
    })
    const allocations = await PaymentAllocation.query().where('payment_id', result.payment.id)
    ctx.response.status(201)
    return {
      data: serializePayment(result.payment, allocations),
      applied: result.applied,
      credited: result.credited,
      invoice: result.invoice ? serializeDocument(result.invoice) : null,
    }
  }

  async show({ params }: HttpContext) {
    const payment = await findPayment(params.id)
    const allocations = await PaymentAllocation.query().where('payment_id', payment.id).orderBy('id')
    return { data: serializePayment(payment, allocations) }
  }

  async refund(ctx: HttpContext) {
    const payment = await findPayment(ctx.params.id)
    const body = await ctx.request.validateUsing(refundPaymentValidator)
    const result = await refundPayment({
      tenantId: ctx.tenant!.id,
      paymentId: payment.id,
      amount: body.amount,
      paidOn: body.paid_on,
      reference: body.reference,
      method: body.method,
      userId: userId(ctx),
    })
    ctx.response.status(201)
    return { data: serializePayment(result.refund), reopened_invoice_ids: result.reopened.map((r) => r.invoice.id) }
  }
}
