import type { HttpContext } from '@adonisjs/core/http'
import type TrackedSession from '#models/tracked_session'
import { activeSessions, revokeOtherSessions, revokeSession } from '#services/session_tracking'
import { accountPolicyOf } from '#services/session_tracking_policy'

const BACK = '/app/account/sessions'

/** A duration in the largest whole unit ("2 hours", "7 days") */
export function duration(ctx: HttpContext, minutes: number) {
  if (minutes % (24 * 60) === 0) return ctx.i18n.t('account.days', { count: minutes / (24 * 60) })
  if (minutes % 60 === 0) return ctx.i18n.t('account.hours', { count: minutes / 60 })
  return ctx.i18n.t('account.minutes', { count: minutes })
}

function describe(ctx: HttpContext, row: TrackedSession, currentId: number | undefined) {
  const zone = ctx.tenant!.timezone
  const absolute = (moment: TrackedSession['createdAt']) =>
    moment.setZone(zone).setLocale(ctx.i18n.locale).toLocaleString({ dateStyle: 'medium', timeStyle: 'short' })
  const seconds = Math.max(0, -row.lastSeenAt.diffNow('seconds').seconds)
  const relative = new Intl.RelativeTimeFormat(ctx.i18n.locale, { numeric: 'auto' })
  const lastSeen =
    seconds < 3600 ? relative.format(-Math.floor(seconds / 60), 'minute') : relative.format(-Math.floor(seconds / 3600), 'hour')
  return {
    id: row.id,
    device: row.deviceLabel || ctx.i18n.t('account.sessions_unknown_device'),
    userAgent: row.userAgent,
    ip: row.ipAddress,
    signedIn: absolute(row.createdAt),
    signedInIso: row.createdAt.toUTC().toISO(),
    lastSeen: seconds < 24 * 3600 ? lastSeen : absolute(row.lastSeenAt),
    lastSeenIso: row.lastSeenAt.toUTC().toISO(),
    current: row.id === currentId,
  }
}

/** The signed-in user's own sessions: list, sign out one, sign out all others */
export default class SessionsController {
  async index(ctx: HttpContext) {
    const user = ctx.auth.use('web').user!
    const rows = (await activeSessions(user)).map((row) => describe(ctx, row, ctx.trackedSessionId))
    /* this device first */
    rows.sort((a, b) => Number(b.current) - Number(a.current))
    const policy = await accountPolicyOf(user.tenantId)
    return ctx.view.render('pages/account/sessions', {
      rows,
      others: rows.filter((row) => !row.current).length,
      policyNote: ctx.i18n.t('account.sessions_policy', {
        idle: duration(ctx, policy.idleTimeoutMinutes),
        absolute: duration(ctx, policy.absoluteTimeoutMinutes),
      }),
    })
  }

  async destroy(ctx: HttpContext) {
    await revokeSession(ctx.auth.use('web').user!, Number(ctx.params.id))
    ctx.session.flash('success', ctx.i18n.t('account.sessions_revoked'))
    return ctx.response.redirect(BACK)
  }

  async destroyOthers(ctx: HttpContext) {
    const count = await revokeOtherSessions(ctx.auth.use('web').user!, ctx.trackedSessionId ?? null)
    ctx.session.flash('success', ctx.i18n.t('account.sessions_revoked_others', { count }))
    return ctx.response.redirect(BACK)
  }
}
