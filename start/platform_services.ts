/*
| Preload: the kernel's platform services. Defines their jobs (mail, webhook delivery), taps the
| kernel hooks they serve (settings sections, webhook and notification catalogues, channels),
| and authorises the real-time notification channel.
*/
import hooks from '#kernel/hooks'
import jobs from '#services/jobs'
import webhooksConfig from '#config/webhooks'
import { DELIVER_JOB, deliver, emit } from '#services/webhook_service'
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
