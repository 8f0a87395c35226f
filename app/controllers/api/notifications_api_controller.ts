import type { HttpContext } from '@adonisjs/core/http'
import type Notification from '#models/notification'
import type User from '#models/user'
import { findFor, listFor, markAllRead, markRead, renderText, unreadCount } from '#services/notification_service'

function serialize(locale: string, n: Notification) {
  return {
    id: n.id,
    event: n.event,
    title: renderText(locale, n.title, n.params),
    body: renderText(locale, n.body, n.params) || null,
    url: n.url,
    read_at: n.readAt?.toUTC().toISO() ?? null,
    created_at: n.createdAt.toUTC().toISO(),
  }
}

/** /api/v1/notifications: the token owner's own notifications */
export default class NotificationsApiController {
  async index({ auth, request, i18n }: HttpContext) {
    const user = auth.use('api').user as User
    const rows = await listFor(user, { unreadOnly: request.input('filter') === 'unread', limit: 100 })
    return { data: rows.map((n) => serialize(i18n.locale, n)), unread: await unreadCount(user.tenantId, user.id) }
  }

  async read({ auth, params, i18n }: HttpContext) {
    const user = auth.use('api').user as User
    return { data: serialize(i18n.locale, await markRead(user, await findFor(user, params.id))) }
  }

  async readAll({ auth, response }: HttpContext) {
    await markAllRead(auth.use('api').user as User)
    return response.noContent()
  }
}
