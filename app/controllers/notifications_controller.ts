import type { HttpContext } from '@adonisjs/core/http'
import vine from '@vinejs/vine'
import type User from '#models/user'
import {
  findFor,
  listFor,
  markAllRead,
  markRead,
  preferencesOf,
  renderText,
  savePreferences,
  unreadCount,
} from '#services/notification_service'

const preferencesValidator = vine.create(
  vine.object({ enabled: vine.array(vine.string().trim().maxLength(200)).maxLength(1000).optional() })
)

function present(ctx: HttpContext, user: User, rows: Awaited<ReturnType<typeof listFor>>) {
  const locale = ctx.i18n.locale
  return rows.map((n) => ({
    id: n.id,
    title: renderText(locale, n.title, n.params),
    body: renderText(locale, n.body, n.params),
    url: n.url,
    read: Boolean(n.readAt),
    createdAt: n.createdAt,
    userId: user.id,
  }))
}

/** The signed-in staff member (the `auth` middleware guarantees one) */
function staff(ctx: HttpContext) {
  return ctx.auth.use('web').user as User
}

/* Links of notifications only ever lead inside the app (an absolute URL is shown, not followed) */
function safeTarget(url: string | null) {
  return url && url.startsWith('/') && !url.startsWith('//') ? url : '/app/notifications'
}

/** The notification centre: list, open, mark read, preferences, and the bell fragment */
export default class NotificationsController {
  async index(ctx: HttpContext) {
    const user = staff(ctx)
    const unreadOnly = ctx.request.input('filter') === 'unread'
    const notifications = present(ctx, user, await listFor(user, { unreadOnly, limit: 100 }))
    const unread = await unreadCount(user.tenantId, user.id)
    if (ctx.isHtmx && ctx.request.header('hx-target') === 'kernel-notifications-list') {
      return ctx.view.render('partials/notifications/list', { notifications, unread, unreadOnly })
    }
    return ctx.view.render('pages/notifications/index', { notifications, unread, unreadOnly })
  }

  /** Opens a notification: marks it read and goes where it points */
  async show(ctx: HttpContext) {
    const user = staff(ctx)
    const notification = await markRead(user, await findFor(user, ctx.params.id))
    return ctx.response.redirect(safeTarget(notification.url))
  }

  async read(ctx: HttpContext) {
    const user = staff(ctx)
    await markRead(user, await findFor(user, ctx.params.id))
    if (ctx.isHtmx) return this.index(ctx)
    return ctx.response.redirect('/app/notifications')
  }

  async readAll(ctx: HttpContext) {
    await markAllRead(staff(ctx))
    ctx.session.flash('success', ctx.i18n.t('notifications.all_read'))
    return ctx.response.redirect('/app/notifications')
  }

  async bell(ctx: HttpContext) {
    return ctx.view.render('partials/notifications/bell')
  }

  async preferences(ctx: HttpContext) {
    return ctx.view.render('pages/notifications/preferences', { rows: await preferencesOf(staff(ctx)) })
  }

  async savePreferences(ctx: HttpContext) {
    const { enabled } = await ctx.request.validateUsing(preferencesValidator)
    await savePreferences(staff(ctx), enabled ?? [])
    ctx.session.flash('success', ctx.i18n.t('forms.saved'))
    return ctx.response.redirect('/app/notifications/preferences')
  }
}
