/*
| Preload: the kernel's platform services. Defines their jobs (mail, webhook delivery), taps the
| kernel hooks they serve (settings sections, webhook and notification catalogues, channels),
| and authorises the real-time notification channel.
*/
import edge from 'edge.js'
import transmit from '@adonisjs/transmit/services/main'
import type { HttpContext } from '@adonisjs/core/http'
import hooks from '#kernel/hooks'
import { middleware } from '#start/kernel'
import { addPlatformPaths } from '#services/platform_openapi'
import jobs from '#services/jobs'
import webhooksConfig from '#config/webhooks'
import { DELIVER_JOB, deliver, emit, failureListeners } from '#services/webhook_service'
import {
  channelFor,
  emailChannel,
  inAppChannel,
  notify,
  unreadCount,
  usersWithPermission,
} from '#services/notification_service'
import { MAIL_ATTEMPTS, SEND_MAIL_JOB, sendQueuedMail } from '#services/mail_dispatcher'

jobs.define(SEND_MAIL_JOB, sendQueuedMail, {
  attempts: MAIL_ATTEMPTS,
  backoff: { type: 'exponential', delay: 30_000 },
  queue: 'mail',
  timeoutMs: 120_000,
})

jobs.define(DELIVER_JOB, deliver, {
  attempts: webhooksConfig.attempts,
  backoff: { type: 'exponential', delay: webhooksConfig.retryDelayMs },
  queue: 'webhooks',
  timeoutMs: webhooksConfig.timeoutMs + 10_000,
})

hooks.addFilter(
  'settings.sections',
  (sections) => [
    ...sections,
    {
      id: 'kernel.webhooks',
      label: 'webhooks.title',
      href: '/app/settings/webhooks',
      permission: 'kernel.webhooks.manage',
      order: 55,
    },
    { id: 'kernel.mail', label: 'mail_settings.title', href: '/app/settings/mail', permission: 'kernel.settings.view', order: 15 },
  ],
  { plugin: 'kernel', priority: 10 }
)

hooks.addFilter(
  'webhooks.events',
  (types) => [...types, { type: 'user.created', label: 'webhooks.event_user_created', plugin: 'kernel' }],
  { plugin: 'kernel', priority: 0 }
)

hooks.addAction(
  'user.created',
  async ({ user }) => {
    await emit(user.tenantId, 'user.created', {
      id: user.id,
      email: user.email,
      name: user.fullName,
      status: user.status,
    }, { eventId: `user.created:${user.id}` })
  },
  { plugin: 'kernel' }
)

/* ---------------------------------------------------------------- notifications */

hooks.addFilter('notifications.channels', (channels) => [...channels, inAppChannel, emailChannel], {
  plugin: 'kernel',
  priority: 0,
})

hooks.addFilter(
  'notifications.events',
  (events) => [
    ...events,
    { id: 'kernel.webhook_failed', label: 'notifications.event_webhook_failed', plugin: 'kernel', defaults: { in_app: true, email: true } },
    { id: 'kernel.team_member_added', label: 'notifications.event_team_member_added', plugin: 'kernel' },
  ],
  { plugin: 'kernel', priority: 0 }
)

failureListeners.push(async ({ tenantId, delivery, endpoint }) => {
  await notify(
    {
      event: 'kernel.webhook_failed',
      title: 'webhooks.notification_failed_title',
      body: 'webhooks.notification_failed_body',
      params: { event: delivery.event, url: endpoint.url },
      url: `/app/settings/webhooks/${endpoint.id}/deliveries/${delivery.id}`,
    },
    { tenantId, users: await usersWithPermission(tenantId, 'kernel.webhooks.manage') }
  )
})

hooks.addAction(
  'user.created',
  async ({ user }) => {
    const managers = (await usersWithPermission(user.tenantId, 'kernel.users.manage')).filter((id) => id !== user.id)
    await notify(
      {
        event: 'kernel.team_member_added',
        title: 'notifications.team_member_added_title',
        body: 'notifications.team_member_added_body',
        params: { email: user.email },
        url: '/app/settings/users',
      },
      { tenantId: user.tenantId, users: managers }
    )
  },
  { plugin: 'kernel' }
)

/* The bell's unread count, for partials/notifications/bell.edge */
edge.global('unreadNotifications', (user: { tenantId: number; id: number }) => unreadCount(user.tenantId, user.id))
edge.global('notificationChannel', (user: { tenantId: number; id: number }) => channelFor(user.tenantId, user.id))

/* Only the signed-in user, on their own tenant's host, may listen to their channel */
transmit.authorize<{ tenantId: string; userId: string }>('notifications/:tenantId/:userId', (ctx: HttpContext, params) => {
  const user = ctx.auth.use('web').user
  return Boolean(user && ctx.tenant && user.tenantId === ctx.tenant.id && String(ctx.tenant.id) === params.tenantId && String(user.id) === params.userId)
})

transmit.registerRoutes((route) => {
  route.use([middleware.tenant(), middleware.auth()])
})

/* ---------------------------------------------------------------- API description */

hooks.addFilter('api.openapi', (doc) => addPlatformPaths(doc), { plugin: 'kernel', priority: 0 })
