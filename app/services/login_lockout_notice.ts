/*
| Tells the owner of a staff account by mail when failed sign-ins lock it (see login_throttle),
| once per lockout: a one-use limiter key as long as the lock makes concurrent failures and
| several web processes agree on who sends it. Nothing is sent for an address without an
| active account, so the mail reveals nothing to whoever is guessing.
*/
import limiter from '@adonisjs/limiter/services/main'
import { errors as limiterErrors } from '@adonisjs/limiter'
import User from '#models/user'
import Tenant from '#models/tenant'
import plugins from '#kernel/plugin_service'
import { queueMail } from '#services/mail_dispatcher'
import { tenantUrl, translatorFor } from '#services/mail_service'
import { tenantContext } from '#tenancy/tenant_context'

export async function notifyLockout(options: { tenantId: number; email: string; ip: string; attempts: number; lockMinutes: number }) {
  const address = options.email.trim().toLowerCase()
  try {
    await limiter
      .use({ requests: 1, duration: `${options.lockMinutes} mins` })
      .consume(`lockout_notice_${options.tenantId}_${address}`)
  } catch (error) {
    if (error instanceof limiterErrors.E_TOO_MANY_REQUESTS) return false
    throw error
  }
  const user = await User.forTenant(options.tenantId).where('email', address).where('status', 'active').first()
  if (!user) return false
  const tenant = tenantContext.tenant()?.id === options.tenantId ? tenantContext.tenant()! : await Tenant.findOrFail(options.tenantId)
  const t = translatorFor(user.locale, tenant)
  const send = async () =>
    queueMail({
      to: user.email,
      subject: t('account.lockout_subject', { tenant: tenant.name }),
      template: 'emails/notification',
      locale: user.locale,
      data: {
        heading: t('account.lockout_heading'),
        intro: t('account.lockout_intro', {
          attempts: options.attempts,
          email: user.email,
          tenant: tenant.name,
          ip: options.ip,
          minutes: options.lockMinutes,
        }),
        lines: [t('account.lockout_advice')],
        actionUrl: await tenantUrl(tenant, '/forgot-password'),
        actionLabel: t('account.lockout_action'),
      },
    })
  if (tenantContext.tenantId() === tenant.id) await send()
  else await tenantContext.run({ tenant, enabledPlugins: await plugins.enabledFor(tenant.id) }, send)
  return true
}
