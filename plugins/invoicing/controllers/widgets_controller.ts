import type { HttpContext } from '@adonisjs/core/http'
import { outstanding, overdue, revenueThisMonth, type CurrencyFigure } from '#plugins/invoicing/services/dashboard_stats'
import { todayIn } from '#plugins/invoicing/services/document_listing'
import { money } from '#plugins/invoicing/services/document_view'
import { localeOf } from './list_support.js'

function formatted(rows: CurrencyFigure[], locale: string) {
  return rows.map((r) => ({ ...r, formatted: money(r.amount, r.currency, locale) }))
}

/** Dashboard widgets (loaded lazily by the dashboard through the dashboard.widgets hook) */
export default class WidgetsController {
  async outstanding(ctx: HttpContext) {
    const rows = formatted(await outstanding(), localeOf(ctx))
    return ctx.view.render('invoicing::widgets/outstanding', { rows })
  }

  async overdue(ctx: HttpContext) {
    const rows = formatted(await overdue(todayIn(ctx.tenant!.timezone)), localeOf(ctx))
    return ctx.view.render('invoicing::widgets/overdue', { rows })
  }

  async revenue(ctx: HttpContext) {
    const locale = localeOf(ctx)
    const { month, invoiced, received } = await revenueThisMonth(ctx.tenant!.timezone)
    return ctx.view.render('invoicing::widgets/revenue', {
      month: month.setLocale(locale).toFormat('LLLL yyyy'),
      invoiced: formatted(invoiced, locale),
      received: formatted(received, locale),
    })
  }
}
