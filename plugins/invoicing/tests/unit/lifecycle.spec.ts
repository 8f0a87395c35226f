import { test } from '@japa/runner'
import hooks from '#kernel/hooks'
import AuditLog from '#models/audit_log'
import { makeTenant, type TestTenant } from '#tests/helpers/tenants'
import { ACTIONS } from '#plugins/invoicing/hooks'
import {
  acceptQuote,
  declineQuote,
  finalize,
  markSent,
  markViewed,
  updateDraft,
  voidWithCreditNote,
  writeOff,
} from '#plugins/invoicing/services/documents'
import { findByPublicToken, tokenFor } from '#plugins/invoicing/services/documents_tokens'
import { DocumentLockedError, InvalidTransitionError } from '#plugins/invoicing/exceptions/document_errors'
import Document from '#plugins/invoicing/models/document'
import { line, makeClient, makeDraft } from '../documents_fixtures.js'

/* every invoicing action this process emits, by tenant */
const events: Array<{ name: string; tenantId: number; documentId?: number; payload: any }> = []
for (const name of ACTIONS) {
  hooks.addAction(name, (payload: any) => {
    events.push({ name, tenantId: payload.tenantId, documentId: payload.documentId, payload })
  }, { plugin: 'kernel' })
}
const emitted = (t: TestTenant, documentId?: number) =>
  events.filter((e) => e.tenantId === t.tenant.id && (documentId === undefined || e.documentId === documentId)).map((e) => e.name)

const audits = async (t: TestTenant, subjectId: number) =>
  (await AuditLog.forTenant(t.tenant.id).where('subject_type', 'invoicing_document').where('subject_id', String(subjectId)).orderBy('id')).map((l) => l.action)

test.group('Lifecycle: invoices', (group) => {
  let t: TestTenant
  let clientId: number
  group.setup(async () => {
    t = await makeTenant()
    clientId = (await t.run(() => makeClient(t))).id
  })

  test('finalise → sent → viewed, each audited once with its hook; finalised content refuses edits', async ({ assert }) => {
    const draft = await makeDraft(t, 'invoice', clientId, { lines: [line({ quantity: 20_000, unitPrice: 5000 })] })
    const done = await t.run(() => finalize(draft))
    assert.equal(done.status, 'finalized')
    assert.equal(done.total, 11900)
    assert.equal(done.balanceDue, 11900)
    assert.equal(done.buyerSnapshot!.name, 'Acme GmbH')
    assert.equal(done.buyerSnapshot!.vatId, 'DE123456789')

    await assert.rejects(() => t.run(() => updateDraft(done, { notes: 'sneaky' })), DocumentLockedError as any)
    const stale = await Document.forTenant(t.tenant.id).where('id', done.id).firstOrFail()
    stale.status = 'draft' /* a stale copy in memory cannot get past the row lock either */
    await assert.rejects(() => t.run(() => updateDraft(stale, { notes: 'sneaky' })), DocumentLockedError as any)

    const sent = await t.run(() => markSent(done))
    assert.equal(sent.status, 'sent')
    const viewed = await t.run(() => markViewed(sent))
    assert.equal(viewed.status, 'viewed')
    await t.run(() => markViewed(viewed))
    assert.deepEqual(emitted(t, done.id), ['invoice.finalized', 'invoice.sent', 'invoice.viewed'])
    assert.deepEqual(await audits(t, done.id), ['invoicing.invoice.created', 'invoicing.invoice.finalized', 'invoicing.invoice.sent', 'invoicing.invoice.viewed'])
    const log = await AuditLog.forTenant(t.tenant.id).where('action', 'invoicing.invoice.finalized').where('subject_id', String(done.id)).firstOrFail()
    assert.deepEqual(log.before, { status: 'draft', number: null })
    assert.include(log.after as any, { status: 'finalized', number: done.number })
    const stored = await Document.forTenant(t.tenant.id).where('id', done.id).firstOrFail()
    assert.isNull(stored.notes)
  })

  test('public token: unguessable, stored only as a hash, found only in its tenant', async ({ assert }) => {
    const doc = await t.run(async () => finalize(await makeDraft(t, 'invoice', clientId)))
    const token = tokenFor(doc)!
    assert.match(token, /^[A-Za-z0-9_-]{43}$/)
    assert.notEqual(doc.publicTokenHash, token)
    assert.notInclude(JSON.stringify(doc.toJSON()), token)
    assert.equal((await findByPublicToken(t.tenant.id, token))!.id, doc.id)
    assert.isNull(await findByPublicToken(t.tenant.id, token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A')))
    const other = await makeTenant()
    assert.isNull(await findByPublicToken(other.tenant.id, token))
    const draft = await makeDraft(t, 'invoice', clientId)
    assert.isNull(tokenFor(draft))
  })

  test('overdue is derived from the due date and the balance', async ({ assert }) => {
    const doc = await t.run(async () => finalize(await makeDraft(t, 'invoice', clientId, { issueDate: '2026-01-01', dueDate: '2026-01-15' })))
    assert.isTrue(doc.isOverdue('2026-01-16'))
    assert.isFalse(doc.isOverdue('2026-01-15'))
    doc.balanceDue = 0
    assert.isFalse(doc.isOverdue('2026-02-01'))
  })

  test('void issues a full credit note; write-off closes an open balance; neither twice', async ({ assert }) => {
    const a = await t.run(async () => finalize(await makeDraft(t, 'invoice', clientId)))
    const { invoice, creditNote } = await t.run(() => voidWithCreditNote(a))
    assert.equal(invoice.status, 'void')
    assert.equal(creditNote.total, a.total)
    assert.equal(creditNote.relatedDocumentId, a.id)
    assert.deepEqual(emitted(t, a.id), ['invoice.finalized', 'invoice.voided'])
    assert.deepEqual(emitted(t, creditNote.id), ['credit_note.finalized'])
    await assert.rejects(() => t.run(() => voidWithCreditNote(invoice)), InvalidTransitionError as any)

    const b = await t.run(async () => finalize(await makeDraft(t, 'invoice', clientId)))
    const off = await t.run(() => writeOff(b, 'insolvent'))
    assert.equal(off.status, 'written_off')
    assert.equal(off.balanceDue, 0)
    const hook = events.find((e) => e.name === 'invoice.written_off' && e.documentId === b.id)!
    assert.equal(hook.payload.amount, b.total)
    await assert.rejects(() => t.run(() => writeOff(off)), InvalidTransitionError as any)
    assert.include(await audits(t, b.id), 'invoicing.invoice.written_off')
  })
})

test.group('Lifecycle: quotes', () => {
  test('accept and decline only from issued quotes, expired quotes cannot be accepted', async ({ assert }) => {
    const t = await makeTenant()
    const clientId = (await t.run(() => makeClient(t))).id
    const q = await makeDraft(t, 'quote', clientId)
    await assert.rejects(() => t.run(() => acceptQuote(q)), InvalidTransitionError as any)
    const issued = await t.run(() => finalize(q))
    const accepted = await t.run(() => acceptQuote(issued))
    assert.equal(accepted.status, 'accepted')
    await assert.rejects(() => t.run(() => declineQuote(accepted)), InvalidTransitionError as any)
    assert.deepEqual(emitted(t, q.id), ['quote.finalized', 'quote.accepted'])

    const old = await t.run(async () => finalize(await makeDraft(t, 'quote', clientId, { issueDate: '2020-01-01', validUntil: '2020-01-31' })))
    await assert.rejects(() => t.run(() => acceptQuote(old)), /expired/)
    assert.equal((await t.run(() => declineQuote(old))).status, 'declined')
  })
})

test.group('Lifecycle: outgoing webhooks', () => {
  test('document events reach the tenant’s subscribed webhook endpoints, and are in the catalogue', async ({ assert }) => {
    const { default: WebhookEndpoint } = await import('#models/webhook_endpoint')
    const { default: WebhookDelivery } = await import('#models/webhook_delivery')
    const { eventCatalogue } = await import('#services/webhook_service')
    const t = await makeTenant()
    const clientId = (await t.run(() => makeClient(t))).id
    await WebhookEndpoint.create({ tenantId: t.tenant.id, url: 'https://hooks.example.com/in', events: ['invoice.finalized', 'payment.recorded'], secret: 'whsec_test', enabled: true } as any)
    const types = (await eventCatalogue(t.tenant.id)).map((e) => e.type)
    assert.includeMembers(types, ['invoice.finalized', 'invoice.paid', 'quote.accepted', 'payment.refunded'])

    const doc = await t.run(async () => finalize(await makeDraft(t, 'invoice', clientId)))
    await t.run(() => markSent(doc))
    const deliveries = await WebhookDelivery.forTenant(t.tenant.id).orderBy('id')
    assert.deepEqual(deliveries.map((d) => d.event), ['invoice.finalized'])
    const body = JSON.parse(deliveries[0].payload)
    assert.include(body.data, { id: doc.id, type: 'invoice', number: doc.number, status: 'finalized', total: doc.total })
  })
})
