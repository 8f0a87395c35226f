import { test } from '@japa/runner'
import hooks from '#kernel/hooks'
import AuditLog from '#models/audit_log'
import { makeTenant, type TestTenant } from '#tests/helpers/tenants'
import { finalize } from '#plugins/invoicing/services/documents'
import { applyCredit, creditBalance, recordPayment, refundPayment } from '#plugins/invoicing/services/ledger'
import * as publicApi from '#plugins/invoicing/public'
import Document from '#plugins/invoicing/models/document'
import { line, makeClient, makeDraft } from '../documents_fixtures.js'

const seen: Array<{ name: string; payload: any }> = []
for (const name of ['payment.recorded', 'payment.refunded', 'invoice.paid', 'invoice.partially_paid'] as const) {
  hooks.addAction(name, (payload: any) => void seen.push({ name, payload }), { plugin: 'kernel' })
}
const hooksFor = (t: TestTenant) => seen.filter((e) => e.payload.tenantId === t.tenant.id)

async function issuedInvoice(t: TestTenant, clientId: number, unitPrice: number) {
  const draft = await makeDraft(t, 'invoice', clientId, { lines: [line({ quantity: 10_000, unitPrice, taxRate: 0, taxCategory: 'Z' })] })
  return t.run(() => finalize(draft))
}

const reload = (t: TestTenant, id: number) => Document.forTenant(t.tenant.id).where('id', id).firstOrFail()

test.group('Payments ledger', () => {
  test('partial payment, then an overpayment: paid, the excess becomes client credit applied to a later invoice', async ({ assert }) => {
    const t = await makeTenant()
    const clientId = (await t.run(() => makeClient(t))).id
    const first = await issuedInvoice(t, clientId, 10_000)

    const part = await recordPayment({ tenantId: t.tenant.id, invoiceId: first.id, amount: 4000, currency: 'EUR', method: 'bank_transfer', reference: 'SEPA 1', paidOn: '2026-05-02' })
    assert.equal(part.applied, 4000)
    let inv = await reload(t, first.id)
    assert.equal(inv.status, 'partially_paid')
    assert.equal(inv.balanceDue, 6000)

    const over = await recordPayment({ tenantId: t.tenant.id, invoiceId: first.id, amount: 7500, currency: 'EUR', method: 'cash' })
    assert.equal(over.applied, 6000)
    assert.equal(over.credited, 1500)
    inv = await reload(t, first.id)
    assert.equal(inv.status, 'paid')
    assert.equal(inv.balanceDue, 0)
    assert.equal(inv.amountPaid, 10_000)
    assert.isNotNull(inv.paidAt)
    assert.equal(await creditBalance(t.tenant.id, clientId, 'EUR'), 1500)
    assert.deepEqual(hooksFor(t).map((e) => e.name), ['payment.recorded', 'invoice.partially_paid', 'payment.recorded', 'invoice.paid'])
    assert.equal(hooksFor(t)[2].payload.credited, 1500)

    /* a paid invoice takes no more payments */
    await assert.rejects(() => recordPayment({ tenantId: t.tenant.id, invoiceId: first.id, amount: 1, currency: 'EUR', method: 'cash' }), /"pay" is not possible for a document in status "paid"/)

    const second = await issuedInvoice(t, clientId, 2000)
    const applied = await applyCredit({ tenantId: t.tenant.id, invoiceId: second.id })
    assert.equal(applied.amount, 1500)
    const after = await reload(t, second.id)
    assert.equal(after.status, 'partially_paid')
    assert.equal(after.balanceDue, 500)
    assert.equal(after.amountCredited, 1500)
    assert.equal(await creditBalance(t.tenant.id, clientId, 'EUR'), 0)
    await assert.rejects(() => applyCredit({ tenantId: t.tenant.id, invoiceId: second.id }), /no credit/)

    const logs = await AuditLog.forTenant(t.tenant.id).where('action', 'invoicing.payment.recorded').orderBy('id')
    assert.lengthOf(logs, 2)
    assert.include(logs[1].after as any, { amount: 7500, applied: 6000, credited: 1500, method: 'cash' })
  })

  test('refund: first from unused credit, then from the invoice it paid, which reopens', async ({ assert }) => {
    const t = await makeTenant()
    const clientId = (await t.run(() => makeClient(t))).id
    const invoice = await issuedInvoice(t, clientId, 5000)
    const paid = await recordPayment({ tenantId: t.tenant.id, invoiceId: invoice.id, amount: 6000, currency: 'EUR', method: 'cheque' })
    assert.equal(await creditBalance(t.tenant.id, clientId, 'EUR'), 1000)

    const r1 = await refundPayment({ tenantId: t.tenant.id, paymentId: paid.payment.id, amount: 800 })
    assert.lengthOf(r1.reopened, 0)
    assert.equal(await creditBalance(t.tenant.id, clientId, 'EUR'), 200)
    assert.equal((await reload(t, invoice.id)).status, 'paid')

    const r2 = await refundPayment({ tenantId: t.tenant.id, paymentId: paid.payment.id, amount: 1200 })
    assert.deepEqual(r2.reopened.map((r) => r.invoice.id), [invoice.id])
    assert.equal(await creditBalance(t.tenant.id, clientId, 'EUR'), 0)
    const reopened = await reload(t, invoice.id)
    assert.equal(reopened.status, 'partially_paid')
    assert.equal(reopened.balanceDue, 1000)
    assert.equal(reopened.amountPaid, 4000)

    await assert.rejects(() => refundPayment({ tenantId: t.tenant.id, paymentId: paid.payment.id, amount: 4001 }), /exceeds/)
    const rest = await refundPayment({ tenantId: t.tenant.id, paymentId: paid.payment.id })
    assert.equal(rest.refund.amount, 4000)
    const open = await reload(t, invoice.id)
    assert.equal(open.status, 'finalized')
    assert.equal(open.balanceDue, 5000)
    assert.equal(hooksFor(t).filter((e) => e.name === 'payment.refunded').length, 3)
  })

  test('public.ts: gateway payments are recorded once per gateway reference, with their fee; currency must match', async ({ assert }) => {
    const t = await makeTenant()
    const other = await makeTenant()
    const clientId = (await t.run(() => makeClient(t))).id
    const invoice = await issuedInvoice(t, clientId, 3000)
    const input = { tenantId: t.tenant.id, invoiceId: invoice.id, amount: 3000, currency: 'EUR', method: 'card' as const, gateway: 'stripe', gatewayReference: 'pi_123', fee: 117 }
    const first = await publicApi.recordPayment(input)
    const again = await publicApi.recordPayment(input)
    assert.isFalse(first.duplicate)
    assert.isTrue(again.duplicate)
    assert.equal(again.payment.id, first.payment.id)
    assert.equal(first.payment.fee, 117)
    assert.equal(first.invoice!.status, 'paid')
    const summary = await publicApi.invoiceSummary(t.tenant.id, invoice.id)
    assert.equal(summary!.balanceDue, 0)
    assert.isNull(await publicApi.invoiceSummary(other.tenant.id, invoice.id))
    const token = summary!.publicPath!.split('/').pop()!
    assert.equal((await publicApi.findInvoiceForPublicToken(t.tenant.id, token))!.id, invoice.id)
    assert.isNull(await publicApi.findInvoiceForPublicToken(other.tenant.id, token))

    /* a webhook delivered several times at once still records one payment */
    const racing = await issuedInvoice(t, clientId, 900)
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => publicApi.recordPayment({ ...input, invoiceId: racing.id, amount: 900, gatewayReference: 'pi_race' }))
    )
    assert.lengthOf(new Set(answers.map((a) => a.payment.id)), 1)
    assert.equal(answers.filter((a) => !a.duplicate).length, 1)
    assert.equal((await reload(t, racing.id)).amountPaid, 900)

    const usd = await issuedInvoice(t, clientId, 100)
    await assert.rejects(() => publicApi.recordPayment({ ...input, invoiceId: usd.id, currency: 'USD', gatewayReference: 'pi_9' }), /USD/)
    /* another tenant cannot pay this tenant's invoice */
    await assert.rejects(() => publicApi.recordPayment({ ...input, tenantId: other.tenant.id, invoiceId: usd.id, gatewayReference: 'pi_10' }), /Not found/)
  })
})
