import { test } from '@japa/runner'
import { compareStats, summarizeTenants, type DatabaseStats } from '#services/backup_stats'

const source: DatabaseStats = {
  tenants: { rows: 2, sha256: 'a' },
  invoices: {
    rows: 3,
    sha256: 'b',
    tenants: {
      '1': { rows: 2, sha256: 'c', money: { total_minor: '1500' } },
      '2': { rows: 1, sha256: 'd', money: { total_minor: '9007199254740993' } },
    },
  },
  payments: { rows: 1, sha256: 'e', tenants: { '1': { rows: 1, sha256: 'f', money: { amount: '700' } } } },
}

const copy = () => JSON.parse(JSON.stringify(source)) as DatabaseStats

test.group('Backup fingerprints', () => {
  test('identical fingerprints match', ({ assert }) => {
    assert.deepEqual(compareStats(source, copy()), [])
  })

  test('a missing row, changed content, a changed money total or a missing table are each reported', ({ assert }) => {
    const fewer = copy()
    fewer.invoices.rows = 2
    fewer.invoices.tenants!['1'].rows = 1
    assert.sameMembers(compareStats(source, fewer), ['table invoices: 2 rows, expected 3', 'table invoices, tenant 1: rows/checksum/money totals differ'])

    const edited = copy()
    edited.invoices.sha256 = 'x'
    edited.invoices.tenants!['2'].sha256 = 'y'
    assert.sameMembers(compareStats(source, edited), ['table invoices: content checksum differs', 'table invoices, tenant 2: rows/checksum/money totals differ'])

    const money = copy()
    money.payments.tenants!['1'].money.amount = '701'
    assert.deepEqual(compareStats(source, money), ['table payments, tenant 1: rows/checksum/money totals differ'])

    const gone = copy()
    delete (gone as Record<string, unknown>).payments
    assert.deepEqual(compareStats(source, gone), ['table payments is missing from the restored database'])
  })

  test('per-tenant summaries add rows over tables and keep money sums exact beyond 2^53', ({ assert }) => {
    assert.deepEqual(summarizeTenants(source), [
      { tenantId: '1', rows: 3, money: { 'invoices.total_minor': '1500', 'payments.amount': '700' } },
      { tenantId: '2', rows: 1, money: { 'invoices.total_minor': '9007199254740993' } },
    ])
  })
})
