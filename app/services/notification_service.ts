/*
| Notifications: `notify()` sends an event to users on every channel they keep on for it. The
| channels come from the `notifications.channels` hook (the kernel's in-app and email channels;
| plugins add Slack, WhatsApp, ...), the events from `notifications.events`. A user's choices are
| stored only where they differ from the event's defaults. In-app notifications are pushed over
| Server-Sent Events (@adonisjs/transmit) to the user's private channel.
*/
import { DateTime } from 'luxon'
import transmit from '@adonisjs/transmit/services/main'
import i18nManager from '@adonisjs/i18n/services/main'
import hooks, { type NotificationChannel } from '#kernel/hooks'
import Tenant from '#models/tenant'
import User from '#models/user'
import Notification from '#models/notification'
import NotificationPreference from '#models/notification_preference'
import { NotFoundError } from '#exceptions/domain_errors'
import { translatorFor, tenantUrl } from '#services/mail_service'
import { queueMail } from '#services/mail_dispatcher'
import { tenantContext } from '#tenancy/tenant_context'

export interface NotificationEventType {
  /** e.g. "invoicing.invoice_overdue" */
  id: string
  /** i18n key or plain text */
  label: string
  plugin: string
  /** channel id → on by default; channels not named follow their own default */
  defaults?: Record<string, boolean>
}

export interface NotificationMessage {
  event: string
  /** i18n keys (or plain text) rendered in each recipient's language with `params` */
  title: string
  body?: string | null
  params?: Record<string, string | number>
  /** a path in the app ("/app/...") or an absolute URL */
  url?: string | null
}

export interface ChannelDelivery {
  tenant: Tenant
  user: User
  message: NotificationMessage
  /** renders an i18n key (or passes plain text through) in the user's language */
  render(text: string | null | undefined): string
}

declare module '#kernel/hooks' {
  interface NotificationChannel {
    /** on for events that do not say otherwise */
    defaultEnabled: boolean
    deliver(delivery: ChannelDelivery): Promise<void>
  }
  interface Filters {
    /** Events users can be notified of, with their default channels */
    'notifications.events': NotificationEventType[]
  }
}

hooks.declare('notifications.events', { failMode: 'open', timeoutMs: 1000, description: 'Notification events' })

/** The user's private SSE channel */
export function channelFor(tenantId: number, userId: number) {
  return `notifications/${tenantId}/${userId}`
}

export async function channelsFor(tenantId: number): Promise<NotificationChannel[]> {
  const channels = await hooks.applyFilters('notifications.channels', [], { tenantId })
  return [...new Map(channels.map((c) => [c.id, c])).values()]
}

export async function eventsFor(tenantId: number): Promise<NotificationEventType[]> {
  const events = await hooks.applyFilters('notifications.events', [], { tenantId })
  return [...new Map(events.map((e) => [e.id, e])).values()]
}

export async function unreadCount(tenantId: number, userId: number) {
  const [row] = await Notification.forTenant(tenantId).where('user_id', userId).whereNull('read_at').count('* as total')
  return Number(row.$extras.total)
}

/** Renders a title or body: an i18n key in the reader's language, or plain text as it is */
export function renderText(locale: string, text: string | null | undefined, params: Record<string, string | number> = {}) {
  if (!text) return ''
  const i18n = i18nManager.locale(i18nManager.getSupportedLocaleFor(locale) ?? 'en')
  return i18n.hasMessage(text) || i18n.hasFallbackMessage(text) ? i18n.t(text, params) : text
}

function renderer(user: User, tenant: Tenant, params: Record<string, string | number> = {}) {
  const locale = user.locale ?? tenant.locale
  return (text: string | null | undefined) => renderText(locale, text, params)
}

/** Which channels reach this user for this event: their choice, else the event's, else the channel's default */
export async function enabledChannels(tenantId: number, user: User, event: NotificationEventType | undefined, channels: NotificationChannel[]) {
  const choices = await NotificationPreference.forTenant(tenantId).where({ user_id: user.id, event: event?.id ?? '' })
  const chosen = new Map(choices.map((p) => [p.channel, p.enabled]))
  return channels.filter((c) => chosen.get(c.id) ?? event?.defaults?.[c.id] ?? c.defaultEnabled)
}

export interface NotifyOptions {
  tenantId?: number
  /** users or their ids, of the tenant */
  users: Array<User | number>
}

/** Sends a notification to users on the channels each keeps on for the event */
export async function notify(message: NotificationMessage, options: NotifyOptions) {
  const tenantId = options.tenantId ?? tenantContext.requireTenant('notifications').id
  const tenant = tenantContext.tenant()?.id === tenantId ? tenantContext.tenant()! : await Tenant.findOrFail(tenantId)
  const ids = options.users.map((u) => (typeof u === 'number' ? u : u.id))
  if (!ids.length) return
  const users = await User.forTenant(tenantId).whereIn('id', ids).where('status', 'active')
  const channels = await channelsFor(tenantId)
  const event = (await eventsFor(tenantId)).find((e) => e.id === message.event)
  await tenantContext.run({ tenant, enabledPlugins: tenantContext.current()?.enabledPlugins ?? new Set() }, async () => {
    for (const user of users) {
      for (const channel of await enabledChannels(tenantId, user, event, channels)) {
        await channel.deliver({ tenant, user, message, render: renderer(user, tenant, message.params) })
      }
    }
  })
}

/** Users of the tenant holding a permission (owners hold every permission) */
export async function usersWithPermission(tenantId: number, permission: string) {
  return (
    await User.forTenant(tenantId)
      .join('roles', 'roles.id', 'users.role_id')
      .leftJoin('role_permissions', (q) => q.on('role_permissions.role_id', 'roles.id').andOnVal('role_permissions.permission', permission))
      .where((q) => q.where('roles.key', 'owner').orWhereNotNull('role_permissions.id'))
      .where('users.status', 'active')
      .select('users.id')
  ).map((u) => u.id)
}

/* ---------------------------------------------------------------- the kernel's channels */

export const inAppChannel: NotificationChannel = {
  id: 'in_app',
  label: 'notifications.channel_in_app',
  defaultEnabled: true,
  async deliver({ tenant, user, message, render }) {
    const notification = await Notification.create({
      tenantId: tenant.id,
      userId: user.id,
      event: message.event,
      title: message.title,
      body: message.body ?? null,
      params: message.params ?? {},
      url: message.url ?? null,
    })
    transmit.broadcast(channelFor(tenant.id, user.id), {
      type: 'notification',
      id: notification.id,
      title: render(message.title),
      body: render(message.body),
      url: message.url ?? null,
      unread: await unreadCount(tenant.id, user.id),
    })
  },
}

export const emailChannel: NotificationChannel = {
  id: 'email',
  label: 'notifications.channel_email',
  defaultEnabled: false,
  async deliver({ tenant, user, message, render }) {
    const t = translatorFor(user.locale, tenant)
    const url = message.url?.startsWith('/') ? await tenantUrl(tenant, message.url) : (message.url ?? null)
    await queueMail({
      to: user.email,
      subject: render(message.title),
      template: 'emails/notification',
      locale: user.locale,
      data: {
        heading: render(message.title),
        intro: render(message.body) || null,
        actionUrl: url,
        actionLabel: url ? t('notifications.open') : null,
        footnote: t('notifications.email_footnote'),
      },
    })
  },
}

/* ---------------------------------------------------------------- the notification centre */

export async function listFor(user: User, options: { limit?: number; unreadOnly?: boolean } = {}) {
  const query = Notification.forTenant(user.tenantId).where('user_id', user.id)
  if (options.unreadOnly) query.whereNull('read_at')
  return query.orderBy('id', 'desc').limit(options.limit ?? 50)
}

export async function findFor(user: User, id: number | string) {
  const numeric = Number(id)
  const notification = Number.isSafeInteger(numeric)
    ? await Notification.forTenant(user.tenantId).where({ id: numeric, user_id: user.id }).first()
    : null
  if (!notification) throw new NotFoundError('Notification not found')
  return notification
}

async function announceCount(user: User) {
  transmit.broadcast(channelFor(user.tenantId, user.id), { type: 'count', unread: await unreadCount(user.tenantId, user.id) })
}

export async function markRead(user: User, notification: Notification) {
  if (!notification.readAt) {
    notification.readAt = DateTime.utc()
    await notification.save()
    await announceCount(user)
  }
  return notification
}

export async function markAllRead(user: User) {
  await Notification.forTenant(user.tenantId)
    .where('user_id', user.id)
    .whereNull('read_at')
    .update({ read_at: DateTime.utc().toSQL({ includeOffset: false }) })
  await announceCount(user)
}

export interface PreferenceRow {
  event: NotificationEventType
  channels: Array<{ channel: NotificationChannel; enabled: boolean }>
}

export async function preferencesOf(user: User): Promise<PreferenceRow[]> {
  const [events, channels] = await Promise.all([eventsFor(user.tenantId), channelsFor(user.tenantId)])
  const stored = await NotificationPreference.forTenant(user.tenantId).where('user_id', user.id)
  const chosen = new Map(stored.map((p) => [`${p.event}\u0000${p.channel}`, p.enabled]))
  return events.map((event) => ({
    event,
    channels: channels.map((channel) => ({
      channel,
      enabled: chosen.get(`${event.id}\u0000${channel.id}`) ?? event.defaults?.[channel.id] ?? channel.defaultEnabled,
    })),
  }))
}

/**
 * Saves the whole matrix from a form: `enabled` lists "event:channel" pairs that are on; every
 * other known pair is off. Only choices that differ from the defaults are stored.
 */
export async function savePreferences(user: User, enabled: string[]) {
  const on = new Set(enabled)
  const [events, channels] = await Promise.all([eventsFor(user.tenantId), channelsFor(user.tenantId)])
  for (const event of events) {
    for (const channel of channels) {
      const wanted = on.has(`${event.id}:${channel.id}`)
      const fallback = event.defaults?.[channel.id] ?? channel.defaultEnabled
      const existing = await NotificationPreference.forTenant(user.tenantId)
        .where({ user_id: user.id, event: event.id, channel: channel.id })
        .first()
      if (wanted === fallback) {
        if (existing) await existing.delete()
      } else if (existing) {
        existing.enabled = wanted
        await existing.save()
      } else {
        await NotificationPreference.create({ tenantId: user.tenantId, userId: user.id, event: event.id, channel: channel.id, enabled: wanted })
      }
    }
  }
}
