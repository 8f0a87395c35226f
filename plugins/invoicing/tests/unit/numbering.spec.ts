import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import { makeTenant, type TestTenant } from '#tests/helpers/tenants'
import Document from '#plugins/invoicing/models/document'
import NumberingSeries from '#plugins/invoicing/models/numbering_series'
import { finalizeContext, finalizeIn } from '#plugins/invoicing/services/documents'
import {
  createSeries,
  formatNumber,
  patternErrors,
  periodOf,
  previewNext,
  takeNumber,
  updateSeries,
} from '#plugins/invoicing/services/numbering'
import { makeClient } from '../documents_fixtures.js'

class Rollback extends Error {}

/* Drafts written in bulk (the services are exercised by the finalisations, not by the set-up) */
async function bulkDrafts(t: TestTenant, clientId: number, count: number) {
  const stamp = DateTime.now().toFormat(db.connection().dialect.dateTimeFormat)
  const ids: number[] = []
  for (let offset = 0; offset < count; offset += 200) {
    const rows = Array.from({ length: Math.min(200, count - offset) }, () => ({
      tenant_id: t.tenant.id,
      type: 'invoice',
      status: 'draft',
      client_id: clientId,
      client_name: 'Acme GmbH',
      currency: 'EUR',
      issue_date: '2026-05-04',
      created_at: stamp,
      updated_at: stamp,
    }))
    const inserted = await db.table('invoicing_documents').multiInsert(rows).returning('id')
    ids.push(...inserted.map((r: any) => Number(typeof r === 'object' ? r.id : r)))
  }
  if (ids.length !== count) {
    /* SQLite without RETURNING support in the driver: read them back */
    const rows = await db.from('invoicing_documents').where({ tenant_id: t.tenant.id, status: 'draft' }).select('id')
    ids.splice(0, ids.length, ...rows.map((r) => Number(r.id)))
  }
  const lines = ids.map((id) => ({
    tenant_id: t.tenant.id,
    document_id: id,
    position: 1,
    description: 'Work',
    quantity: 10_000,
    unit: 'C62',
    unit_price: 1234,
    tax_rate: 19000,
    tax_category: 'S',
    net_amount: 1234,
    created_at: stamp,
    updated_at: stamp,
  }))
  for (let i = 0; i < lines.length; i += 200) await db.table('invoicing_document_lines').multiInsert(lines.slice(i, i + 200))
  return ids
}

test.group('Numbering: patterns and periods', () => {
  test('formats year, month and zero-padded counters around literal text', ({ assert }) => {
    assert.equal(formatNumber('INV-{YYYY}-{counter:5}', '2026-03-09', 42), 'INV-2026-00042')
    assert.equal(formatNumber('{YY}{MM}/{counter}', '2026-03-09', 7), '2603/7')
    assert.equal(formatNumber('R{counter:3}', '2026-03-09', 12345), 'R12345')
    assert.equal(periodOf('never', '2026-03-09'), '')
    assert.equal(periodOf('yearly', '2026-03-09'), '2026')
    assert.equal(periodOf('monthly', '2026-03-09'), '2026-03')
  })

  test('rejects patterns that could repeat a number or have no counter', ({ assert }) => {
    assert.deepEqual(patternErrors('INV-{YYYY}-{counter:5}', 'yearly'), [])
    assert.include(patternErrors('INV-{YYYY}', 'never'), 'invoicing_core.numbering.errors.one_counter')
    assert.include(patternErrors('INV-{counter}-{counter}', 'never'), 'invoicing_core.numbering.errors.one_counter')
    assert.include(patternErrors('INV-{counter}', 'yearly'), 'invoicing_core.numbering.errors.needs_year')
    assert.include(patternErrors('INV-{YYYY}-{counter}', 'monthly'), 'invoicing_core.numbering.errors.needs_month')
    assert.include(patternErrors('INV-{DD}-{counter}', 'never'), 'invoicing_core.numbering.errors.unknown_token')
  })
})

test.group('Numbering: counters', (group) => {
  let t: TestTenant
  group.setup(async () => {
    t = await makeTenant()
  })

  test('starting number, preview, yearly reset and a rollback giving the number back', async ({ assert }) => {
    await t.run(async () => {
      const series = await createSeries({ documentType: 'invoice', name: 'Main', pattern: 'A-{YYYY}-{counter:4}', reset: 'yearly', startNumber: 100 })
      assert.equal(await previewNext(series, '2026-01-15'), 'A-2026-0100')
      const first = await db.transaction((trx) => takeNumber(trx, series, '2026-01-15'))
      assert.deepEqual(first, { number: 'A-2026-0100', period: '2026', counter: 100 })
      await db
        .transaction(async (trx) => {
          await takeNumber(trx, series, '2026-02-01')
          throw new Rollback()
        })
        .catch((e) => assert.instanceOf(e, Rollback))
      assert.equal(await previewNext(series, '2026-12-31'), 'A-2026-0101')
      assert.equal((await db.transaction((trx) => takeNumber(trx, series, '2026-12-31'))).number, 'A-2026-0101')
      /* a new year starts again at the starting number */
      assert.equal(await previewNext(series, '2027-01-01'), 'A-2027-0100')
      /* raising the starting number later skips ahead, lowering it never reuses numbers */
      await updateSeries(series, { name: 'Main', pattern: series.pattern, reset: 'yearly', startNumber: 500 })
      assert.equal(await previewNext(series, '2026-06-01'), 'A-2026-0500')
      await updateSeries(series, { name: 'Main', pattern: series.pattern, reset: 'yearly', startNumber: 1 })
      assert.equal(await previewNext(series, '2026-06-01'), 'A-2026-0102')
    })
  })

  test('1,000 finalisations from 8 concurrent workers, a tenth rolled back: numbers 1..N without gap or duplicate', async ({ assert }) => {
    const started = Date.now()
    const client = await t.run(() => makeClient(t))
    const series = await t.run(() =>
      createSeries({ documentType: 'invoice', name: 'Concurrent', pattern: 'C{counter:6}', reset: 'never', startNumber: 1, isDefault: true })
    )
    const ids = await bulkDrafts(t, client.id, 1000)
    assert.lengthOf(ids, 1000)
    const context = await t.run(() => finalizeContext(t.tenant.id, ['invoice']))
    assert.equal(context.defaults.invoice!.id, series.id)

    let next = 0
    let rolledBack = 0
    const worker = async () => {
      while (next < ids.length) {
        const index = next++
        const id = ids[index]
        const rollback = index % 10 === 3
        try {
          await db.transaction(async (trx) => {
            const { doc } = await finalizeIn(trx, t.tenant.id, id, context)
            assert.isNotNull(doc.number)
            /* yield while holding the number so other workers really contend */
            await new Promise((resolve) => setImmediate(resolve))
            if (rollback) throw new Rollback()
          })
        } catch (error) {
          if (!(error instanceof Rollback)) throw error
          rolledBack++
        }
      }
    }
    await Promise.all(Array.from({ length: 8 }, worker))

    const finalised = await Document.forTenant(t.tenant.id).where('series_id', series.id).whereNot('status', 'draft').orderBy('number_counter')
    assert.equal(rolledBack, 100)
    assert.lengthOf(finalised, 900)
    assert.deepEqual(
      finalised.map((d) => d.numberCounter),
      Array.from({ length: 900 }, (_, i) => i + 1)
    )
    assert.equal(new Set(finalised.map((d) => d.number)).size, 900)
    assert.equal(finalised[899].number, 'C000900')
    const drafts = await Document.forTenant(t.tenant.id).where('status', 'draft').whereIn('id', ids).count('* as n').first()
    assert.equal(Number(drafts!.$extras.n), 100)
    const counter = await db.from('invoicing_numbering_counters').where({ series_id: series.id }).first()
    assert.equal(Number(counter.last_value), 900)
    assert.equal(await previewNext(await NumberingSeries.forTenant(t.tenant.id).where('id', series.id).firstOrFail()), 'C000901')
    assert.isBelow(Date.now() - started, 30_000)
  }).timeout(60_000)
})
