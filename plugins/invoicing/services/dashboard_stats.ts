/*
| Figures for the dashboard widgets, per currency (amounts in different currencies are never
| added up): what clients owe, what of it is overdue, and this month's invoicing and receipts.
*/
import { DateTime } from 'luxon'
import Document, { OPEN_STATUSES } from '#plugins/invoicing/models/document'
import Payment from '#plugins/invoicing/models/payment'

export interface CurrencyFigure {
  currency: string
  amount: number
  count: number
}

function figures(rows: any[]): CurrencyFigure[] {
  return rows
    .map((r) => ({ currency: String(r.currency), amount: Number(r.$extras.sum_amount ?? 0), count: Number(r.$extras.row_count ?? 0) }))
    .sort((a, b) => a.currency.localeCompare(b.currency))
}

export async function outstanding(): Promise<CurrencyFigure[]> {
  const rows = await Document.query()
    .where('type', 'invoice')
    .whereIn('status', OPEN_STATUSES)
    .where('balance_due', '>', 0)
    .select('currency')
    .sum('balance_due as sum_amount')
    .count('* as row_count')
    .groupBy('currency')
  return figures(rows)
}

export async function overdue(today: string): Promise<CurrencyFigure[]> {
  const rows = await Document.query()
    .where('type', 'invoice')
    .whereIn('status', OPEN_STATUSES)
    .where('balance_due', '>', 0)
    .whereNotNull('due_date')
    .where('due_date', '<', today)
    .select('currency')
    .sum('balance_due as sum_amount')
    .count('* as row_count')
    .groupBy('currency')
  return figures(rows)
}

/** Net invoiced (issued invoices, less credit notes) and payments received this month */
export async function revenueThisMonth(zone: string) {
  const now = DateTime.now().setZone(zone)
  const from = now.startOf('month').toISODate()!
  const to = now.endOf('month').toISODate()!
  const issued = await Document.query()
    .whereIn('type', ['invoice', 'credit_note'])
    .whereNotIn('status', ['draft', 'void'])
    .whereBetween('issue_date', [from, to])
    .select('currency', 'type')
    .sum('net_total as sum_amount')
    .count('* as row_count')
    .groupBy('currency', 'type')
  const invoiced = new Map<string, CurrencyFigure>()
  for (const row of issued) {
    const entry = invoiced.get(row.currency) ?? { currency: row.currency, amount: 0, count: 0 }
    const amount = Number(row.$extras.sum_amount ?? 0)
    entry.amount += row.type === 'credit_note' ? -amount : amount
    if (row.type === 'invoice') entry.count += Number(row.$extras.row_count ?? 0)
    invoiced.set(row.currency, entry)
  }
  const paid = await Payment.query()
    .whereBetween('paid_on', [from, to])
    .select('currency', 'kind')
    .sum('amount as sum_amount')
    .count('* as row_count')
    .groupBy('currency', 'kind')
  const received = new Map<string, CurrencyFigure>()
  for (const row of paid) {
    const entry = received.get(row.currency) ?? { currency: row.currency, amount: 0, count: 0 }
    const amount = Number(row.$extras.sum_amount ?? 0)
    entry.amount += row.kind === 'refund' ? -amount : amount
    if (row.kind === 'payment') entry.count += Number(row.$extras.row_count ?? 0)
    received.set(row.currency, entry)
  }
  const sorted = (m: Map<string, CurrencyFigure>) => [...m.values()].sort((a, b) => a.currency.localeCompare(b.currency))
  return { month: now, invoiced: sorted(invoiced), received: sorted(received) }
}
