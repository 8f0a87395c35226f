/*
| Branded tenant mail, sent by a job. `queueMail()` stores the message (recipients, template,
| data, attachment file ids) and dispatches `kernel:send_mail` with its id, in the caller's
| transaction when one is given. The job renders the Edge template inside the tenant's layout
| (logo, colours, sender name, reply-to) in the recipient's language and sends it through the
| tenant's own SMTP server when one is configured, else the platform mailer.
*/
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import emitter from '@adonisjs/core/services/emitter'
import mail from '@adonisjs/mail/services/main'
import { Mailer } from '@adonisjs/mail'
import type { Message } from '@adonisjs/mail'
import env from '#start/env'
import jobs, { type JobContext } from '#services/jobs'
import Tenant from '#models/tenant'
import MailMessage from '#models/mail_message'
import StoredFile from '#models/stored_file'
import TenantMailSetting, { type SmtpSecurity } from '#models/tenant_mail_setting'
import { brandFor, translatorFor } from '#services/mail_service'
import { onColor } from '#theming/theme'
import { readBytes } from '#services/file_service'
import { tenantContext } from '#tenancy/tenant_context'
import webhooksConfig from '#config/webhooks'
import { assertPublicHost } from '#services/network_guard'
import { audit, diff } from '#services/audit_service'

export const SEND_MAIL_JOB = 'kernel:send_mail'
export const MAIL_ATTEMPTS = 6

export interface QueueMailInput {
  to: string | string[]
  /** already in the recipient's language (use translatorFor to build it) */
  subject: string
  /** Edge view of the HTML body, e.g. "emails/notification"; "<template>_text" is the plain-text part */
  template: string
  data?: Record<string, unknown>
  /** ids of files (#models/stored_file) of the same tenant */
  attachments?: number[]
  locale?: string | null
}

/** Stores the message and enqueues its job; with `client`, both commit with the caller's work */
export async function queueMail(input: QueueMailInput, options: { client?: TransactionClientContract } = {}) {
  const tenant = tenantContext.requireTenant('mail')
  const run = async (trx: TransactionClientContract) => {
    const message = await MailMessage.create(
      {
        tenantId: tenant.id,
        to: Array.isArray(input.to) ? input.to : [input.to],
        subject: input.subject,
        template: input.template,
        data: input.data ?? {},
        attachments: input.attachments ?? [],
        locale: input.locale ?? null,
        status: 'queued',
        attempts: 0,
      },
      { client: trx }
    )
    await jobs.dispatch(SEND_MAIL_JOB, { tenantId: tenant.id, mailId: message.id }, { client: trx, jobId: `mail-${message.id}` })
    return message
  }
  return options.client ? run(options.client) : db.transaction(run)
}

/** The address part of MAIL_FROM ("Name <address>" or a bare address) */
export function platformFromAddress() {
  const from = env.get('MAIL_FROM', 'Coderon Flow <no-reply@localhost>')
  return from.match(/<([^>]+)>/)?.[1] ?? from.trim()
}

export async function mailSettingsOf(tenantId: number) {
  return TenantMailSetting.forTenant(tenantId).first()
}

export interface MailSettingsInput {
  fromName?: string | null
  fromAddress?: string | null
  replyTo?: string | null
  smtpEnabled?: boolean
  smtpHost?: string | null
  smtpPort?: number | null
  smtpSecurity?: SmtpSecurity
  smtpUsername?: string | null
  /** undefined or empty keeps the stored password */
  smtpPassword?: string | null
}

function settingsView(s: TenantMailSetting) {
  return {
    fromName: s.fromName,
    fromAddress: s.fromAddress,
    replyTo: s.replyTo,
    smtpEnabled: s.smtpEnabled,
    smtpHost: s.smtpHost,
    smtpPort: s.smtpPort,
    smtpSecurity: s.smtpSecurity,
    smtpUsername: s.smtpUsername,
    smtpPassword: s.smtpPassword ? 'set' : null,
  }
}

/** Saves the tenant's sender identity and SMTP server (the password stored encrypted) */
export async function saveMailSettings(input: MailSettingsInput) {
  const tenant = tenantContext.requireTenant('mail settings')
  const settings =
    (await mailSettingsOf(tenant.id)) ??
    new TenantMailSetting().merge({ tenantId: tenant.id, smtpEnabled: false, smtpSecurity: 'starttls' })
  const before = settings.$isPersisted ? settingsView(settings) : {}
  const { smtpPassword, ...rest } = input
  /* a tenant's SMTP host is outbound traffic they choose: the same guard as webhook URLs */
  if (rest.smtpEnabled && rest.smtpHost) await assertSmtpHost(rest.smtpHost)
  settings.merge(rest)
  if (smtpPassword) settings.smtpPassword = smtpPassword
  await settings.save()
  await audit({ action: 'mail_settings.updated', subjectType: 'tenant', subjectId: tenant.id, ...diff(before, settingsView(settings)) })
  return settings
}

function assertSmtpHost(host: string) {
  return assertPublicHost(new URL(`smtp://${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}`), webhooksConfig.allowPrivateNetworks)
}

/*
| Connects to the address checked just before (not a second DNS answer), with the host name
| kept for TLS certificate checks.
*/
async function smtpMailer(tenantId: number, settings: TenantMailSetting) {
  const [address] = await assertSmtpHost(settings.smtpHost!)
  /* nodemailer's SMTP stack loads on first use: most installs never need it */
  const { SMTPTransport } = await import('@adonisjs/mail/transports/smtp')
  const transport = new SMTPTransport({
    host: address,
    tls: { servername: settings.smtpHost! },
    port: settings.smtpPort ?? (settings.smtpSecurity === 'tls' ? 465 : 587),
    secure: settings.smtpSecurity === 'tls',
    requireTLS: settings.smtpSecurity === 'starttls',
    ignoreTLS: settings.smtpSecurity === 'none',
    ...(settings.smtpUsername
      ? { auth: { type: 'login' as const, user: settings.smtpUsername, pass: settings.smtpPassword ?? '' } }
      : {}),
    connectionTimeout: 15_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  })
  return new Mailer(`tenant-${tenantId}`, transport, emitter as any, mail.config)
}

/** What the layout needs: the theme's colours and logo, and the sender's name */
export function layoutBrand(tenant: Tenant, settings: TenantMailSetting | null) {
  const brand = brandFor(tenant)
  return { ...brand, onPrimary: onColor(brand.primary), senderName: settings?.fromName || tenant.name }
}

async function compose(message: Message, row: MailMessage, tenant: Tenant, settings: TenantMailSetting | null) {
  const ownSmtp = Boolean(settings?.smtpEnabled && settings.smtpHost)
  const fromAddress = ownSmtp && settings?.fromAddress ? settings.fromAddress : platformFromAddress()
  const brand = layoutBrand(tenant, settings)
  const replyTo = settings?.replyTo || tenant.profile?.email
  const t = translatorFor(row.locale, tenant)
  const view = { ...row.data, brand, t, subject: row.subject }
  message.from(fromAddress, brand.senderName).subject(row.subject).htmlView(row.template, view)
  message.textView(`${row.template}_text`, view)
  for (const address of row.to) message.to(address)
  if (replyTo) message.replyTo(replyTo)
  if (row.attachments.length) {
    const files = await StoredFile.forTenant(tenant.id).whereIn('id', row.attachments)
    for (const file of files) {
      message.attachData(await readBytes(file), { filename: file.originalName, contentType: file.contentType })
    }
  }
}

/**
 * The job. Sent once: a row already marked sent is skipped, so a retry after a crash between
 * SMTP and the update is the only way a mail can go out twice.
 */
export async function sendQueuedMail(payload: { tenantId: number; mailId: number }, ctx: JobContext) {
  const row = await MailMessage.forTenant(payload.tenantId).where('id', payload.mailId).first()
  if (!row || row.status === 'sent') return
  const tenant = await Tenant.findOrFail(payload.tenantId)
  const settings = await mailSettingsOf(tenant.id)
  const ownSmtp = Boolean(settings?.smtpEnabled && settings.smtpHost)
  row.attempts = ctx.attempt
  let mailer: Mailer<any> | null = null
  try {
    mailer = ownSmtp ? await smtpMailer(tenant.id, settings!) : mail.use()
    const response = await mailer.send((message) => compose(message, row, tenant, settings))
    row.status = 'sent'
    row.sentAt = DateTime.utc()
    row.error = null
    row.providerMessageId = (response as { messageId?: string })?.messageId ?? null
    await row.save()
  } catch (error) {
    row.error = String((error as Error).message).slice(0, 500)
    row.status = ctx.attempt >= MAIL_ATTEMPTS ? 'failed' : 'queued'
    await row.save()
    throw error
  } finally {
    /* a tenant's own transport is made per mail; the platform mailer stays open */
    if (ownSmtp && mailer) await mailer.close()
  }
}
