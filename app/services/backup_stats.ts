/*
| Fingerprints of a database for backup manifests and restore checks: per table its row count and
| a SHA-256 over its rows in primary-key order, and for every table with a tenant_id column the
| same per tenant plus the sums of its money columns (integers named *amount*, *total* or
| *_minor). Generic over the schema, so plugin tables are covered without registering anything.
| Run inside one snapshot (a transaction, or a snapshot file) the figures are consistent.
*/
import { createHash, type Hash } from 'node:crypto'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'

/** Tables whose content legitimately differs between a snapshot and its restore */
export const UNCHECKED_TABLES = new Set(['backups'])
/** Migration bookkeeping: present in an "empty" (freshly migrated) database */
export const BOOKKEEPING_TABLES = new Set(['adonis_schema', 'adonis_schema_versions'])

const BATCH = 2000
const MONEY_COLUMN = /amount|total|_minor$/i

export interface TenantTableStats {
  rows: number
  sha256: string
  /** decimal strings: sums can exceed 2^53 */
  money: Record<string, string>
}

export interface TableStats {
  rows: number
  sha256: string
  /** keyed by tenant id ("none" for rows without one); only for tables with tenant_id */
  tenants?: Record<string, TenantTableStats>
}

export type DatabaseStats = Record<string, TableStats>

interface Column {
  name: string
  integer: boolean
}

function dialectOf(client: QueryClientContract) {
  return client.dialect.name === 'postgres' ? 'pg' : 'sqlite'
}

export async function listTables(client: QueryClientContract): Promise<string[]> {
  if (dialectOf(client) === 'pg') {
    const rows = await client
      .from('information_schema.tables')
      .whereRaw('table_schema = current_schema()')
      .where('table_type', 'BASE TABLE')
      .select('table_name')
    return rows.map((r: { table_name: string }) => r.table_name).sort()
  }
  const rows = await client
    .from('sqlite_master')
    .where('type', 'table')
    .whereNot('name', 'like', 'sqlite_%')
    .select('name')
  return rows.map((r: { name: string }) => r.name).sort()
}

async function describe(client: QueryClientContract, table: string): Promise<{ columns: Column[]; key: string[] }> {
  if (dialectOf(client) === 'pg') {
    const columns = await client
      .from('information_schema.columns')
      .whereRaw('table_schema = current_schema()')
      .where('table_name', table)
      .orderBy('ordinal_position')
      .select('column_name', 'data_type')
    const key = await client
      .from('information_schema.table_constraints as tc')
      .join('information_schema.key_column_usage as kcu', (join) => {
        join.on('tc.constraint_name', 'kcu.constraint_name').andOn('tc.table_schema', 'kcu.table_schema')
      })
      .whereRaw('tc.table_schema = current_schema()')
      .where('tc.table_name', table)
      .where('tc.constraint_type', 'PRIMARY KEY')
      .orderBy('kcu.ordinal_position')
      .select('kcu.column_name')
    return {
      columns: columns.map((c: { column_name: string; data_type: string }) => ({
        name: c.column_name,
        integer: ['smallint', 'integer', 'bigint'].includes(c.data_type),
      })),
      key: key.map((k: { column_name: string }) => k.column_name),
    }
  }
  const info: Array<{ name: string; type: string; pk: number }> = await client.rawQuery(
    `select name, type, pk from pragma_table_info(?) order by cid`,
    [table]
  )
  return {
    columns: info.map((c) => ({ name: c.name, integer: /int/i.test(c.type) })),
    key: info
      .filter((c) => c.pk > 0)
      .sort((a, b) => a.pk - b.pk)
      .map((c) => c.name),
  }
}

/* One canonical text per value: both sides of a check run on the same dialect and driver */
function canonical(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString()
  if (Buffer.isBuffer(value)) return `base64:${value.toString('base64')}`
  if (typeof value === 'bigint') return value.toString()
  return value
}

function toBigInt(value: unknown) {
  if (value === null || value === undefined) return 0n
  if (typeof value === 'bigint') return value
  return BigInt(typeof value === 'number' ? Math.trunc(value) : String(value))
}

export async function collectStats(client: QueryClientContract): Promise<DatabaseStats> {
  const stats: DatabaseStats = {}
  for (const table of await listTables(client)) {
    if (UNCHECKED_TABLES.has(table)) continue
    const { columns, key } = await describe(client, table)
    const order = key.length ? key : columns.map((c) => c.name)
    const tenantScoped = columns.some((c) => c.name === 'tenant_id')
    const money = tenantScoped ? columns.filter((c) => c.integer && MONEY_COLUMN.test(c.name)).map((c) => c.name) : []
    const tableHash = createHash('sha256')
    const perTenant = new Map<string, { rows: number; hash: Hash; money: Map<string, bigint> }>()
    let rows = 0
    /* keyset paging on a single-column key stays linear; other tables page by offset */
    const keyset = key.length === 1 ? key[0] : null
    let last: unknown = undefined
    for (let offset = 0; ; offset += BATCH) {
      const query = client.from(table).select(columns.map((c) => c.name))
      for (const column of order) query.orderBy(column)
      if (keyset && last !== undefined) query.where(keyset, '>', last as any)
      const batch: Record<string, unknown>[] = await query.limit(BATCH).offset(keyset ? 0 : offset)
      if (keyset && batch.length) last = batch[batch.length - 1][keyset]
      for (const row of batch) {
        const line = JSON.stringify(columns.map((c) => canonical(row[c.name]))) + '\n'
        tableHash.update(line)
        rows++
        if (!tenantScoped) continue
        const tenant = row.tenant_id === null || row.tenant_id === undefined ? 'none' : String(row.tenant_id)
        let entry = perTenant.get(tenant)
        if (!entry) {
          entry = { rows: 0, hash: createHash('sha256'), money: new Map(money.map((m) => [m, 0n])) }
          perTenant.set(tenant, entry)
        }
        entry.rows++
        entry.hash.update(line)
        for (const column of money) entry.money.set(column, entry.money.get(column)! + toBigInt(row[column]))
      }
      if (batch.length < BATCH) break
    }
    stats[table] = { rows, sha256: tableHash.digest('hex') }
    if (tenantScoped) {
      stats[table].tenants = Object.fromEntries(
        [...perTenant.entries()]
          .sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))
          .map(([tenant, entry]) => [
            tenant,
            {
              rows: entry.rows,
              sha256: entry.hash.digest('hex'),
              money: Object.fromEntries([...entry.money].map(([column, sum]) => [column, sum.toString()])),
            },
          ])
      )
    }
  }
  return stats
}

export interface TenantSummary {
  tenantId: string
  rows: number
  /** money column sums over all the tenant's tables, keyed "table.column" */
  money: Record<string, string>
}

/** Per-tenant totals over all tenant tables: what the restore prints and the drill compares */
export function summarizeTenants(stats: DatabaseStats): TenantSummary[] {
  const summaries = new Map<string, TenantSummary>()
  for (const [table, tableStats] of Object.entries(stats)) {
    for (const [tenantId, entry] of Object.entries(tableStats.tenants ?? {})) {
      let summary = summaries.get(tenantId)
      if (!summary) summaries.set(tenantId, (summary = { tenantId, rows: 0, money: {} }))
      summary.rows += entry.rows
      for (const [column, sum] of Object.entries(entry.money)) summary.money[`${table}.${column}`] = sum
    }
  }
  return [...summaries.values()].sort((a, b) => a.tenantId.localeCompare(b.tenantId, 'en', { numeric: true }))
}

/** Lists every difference between two fingerprints (empty when they match) */
export function compareStats(expected: DatabaseStats, actual: DatabaseStats): string[] {
  const problems: string[] = []
  for (const table of new Set([...Object.keys(expected), ...Object.keys(actual)])) {
    const a = expected[table]
    const b = actual[table]
    if (!a || !b) {
      problems.push(`table ${table} is ${a ? 'missing from the restored database' : 'not in the backup'}`)
      continue
    }
    if (a.rows !== b.rows) problems.push(`table ${table}: ${b.rows} rows, expected ${a.rows}`)
    else if (a.sha256 !== b.sha256) problems.push(`table ${table}: content checksum differs`)
    for (const tenant of new Set([...Object.keys(a.tenants ?? {}), ...Object.keys(b.tenants ?? {})])) {
      const x = a.tenants?.[tenant]
      const y = b.tenants?.[tenant]
      if (!x || !y || x.rows !== y.rows || x.sha256 !== y.sha256 || JSON.stringify(x.money) !== JSON.stringify(y.money)) {
        problems.push(`table ${table}, tenant ${tenant}: rows/checksum/money totals differ`)
      }
    }
  }
  return problems
}
