import type { HttpContext } from '@adonisjs/core/http'
import type User from '#models/user'
import { mailSettingsValidator } from '#validators/mail_settings'
import { formValues, refuseForm, validateForm } from '#controllers/settings/form_support'
import { BlockedAddressError, UnresolvableHostError } from '#services/network_guard'
import { mailSettingsOf, queueMail, saveMailSettings, type MailSettingsInput } from '#services/mail_dispatcher'

const BACK = '/app/settings/mail'

const LABELS: Record<string, string> = {
  fromName: 'mail_settings.from_name',
  fromAddress: 'mail_settings.from_address',
  replyTo: 'mail_settings.reply_to',
  smtpEnabled: 'mail_settings.smtp_enabled',
  smtpHost: 'mail_settings.smtp_host',
  smtpPort: 'mail_settings.smtp_port',
  smtpSecurity: 'mail_settings.smtp_security',
  smtpUsername: 'mail_settings.smtp_username',
  smtpPassword: 'mail_settings.smtp_password',
}

/* Empty fields mean "not set"; an unticked checkbox sends nothing */
function formData(ctx: HttpContext) {
  const body = ctx.request.all()
  const data: Record<string, unknown> = {}
  for (const key of Object.keys(LABELS)) data[key] = body[key] === '' || body[key] === undefined ? null : body[key]
  data.smtpEnabled = body.smtpEnabled === 'on' || body.smtpEnabled === 'true'
  data.smtpSecurity = body.smtpSecurity || 'starttls'
  return data
}

/** Settings → Mail: the sender name, addresses and optional own SMTP server; a test mail */
export default class MailSettingsController {
  async edit(ctx: HttpContext) {
    const settings = await mailSettingsOf(ctx.tenant!.id)
    const stored = {
      fromName: settings?.fromName ?? '',
      fromAddress: settings?.fromAddress ?? '',
      replyTo: settings?.replyTo ?? '',
      smtpEnabled: settings?.smtpEnabled ?? false,
      smtpHost: settings?.smtpHost ?? '',
      smtpPort: settings?.smtpPort ?? '',
      smtpSecurity: settings?.smtpSecurity ?? 'starttls',
      smtpUsername: settings?.smtpUsername ?? '',
    }
    return ctx.view.render('pages/mail/settings', {
      values: formValues(ctx, stored),
      passwordSet: Boolean(settings?.smtpPassword),
      labels: LABELS,
      canManage: ctx.permissions.has('kernel.settings.manage'),
      securityOptions: ['starttls', 'tls', 'none'].map((value) => ({ value, label: ctx.i18n.t(`mail_settings.security_${value}`) })),
    })
  }

  async update(ctx: HttpContext) {
    const input = await validateForm<MailSettingsInput>(ctx, mailSettingsValidator, { back: BACK, labels: LABELS, data: formData(ctx) })
    if (!input) return
    try {
      await saveMailSettings(input)
    } catch (error) {
      if (error instanceof BlockedAddressError || error instanceof UnresolvableHostError) {
        return refuseForm(ctx, { smtpHost: ctx.i18n.t(error.messageKey!, { host: error.host }) }, BACK)
      }
      throw error
    }
    ctx.session.flash('success', ctx.i18n.t('forms.saved'))
    return ctx.response.redirect(BACK)
  }

  /** Sends a branded test mail to the signed-in user through the job, as every mail goes */
  async test(ctx: HttpContext) {
    const user = ctx.auth.use('web').user as User
    await queueMail({
      to: user.email,
      subject: ctx.i18n.t('mail_settings.test_subject', { tenant: ctx.tenant!.name }),
      template: 'emails/notification',
      locale: ctx.i18n.locale,
      data: { heading: ctx.i18n.t('mail_settings.test_heading'), intro: ctx.i18n.t('mail_settings.test_body') },
    })
    ctx.session.flash('success', ctx.i18n.t('mail_settings.test_queued', { email: user.email }))
    return ctx.response.redirect(BACK)
  }
}
