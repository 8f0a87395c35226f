/*
| What every tenant mail needs: links on the tenant's own host, the tenant's branding and
| language, and one way to hand a message to the mailer.
*/
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import env from '#start/env'
import mail from '@adonisjs/mail/services/main'
import i18nManager from '@adonisjs/i18n/services/main'
import type { BaseMail } from '@adonisjs/mail'
import type { NodeMailerMessage } from '@adonisjs/mail/types'
import type Tenant from '#models/tenant'
import TenantDomain from '#models/tenant_domain'
import { resolveTheme } from '#theming/theme'

export interface MailBrand {
  name: string
  primary: string
  accent: string
  text: string
  logoUrl: string | null
}

/*
| Links are built from configuration, never from the request's Host header, so a forged Host
| cannot point a reset link elsewhere. A verified custom domain wins over the subdomain.
*/
export async function tenantUrl(tenant: Tenant, path: string) {
  const appUrl = new URL(env.get('APP_URL'))
  const custom = await TenantDomain.query()
    .where('tenant_id', tenant.id)
    .whereNotNull('verified_at')
    .orderBy('verified_at', 'asc')
    .first()
  const host = custom?.domain ?? `${tenant.slug}.${env.get('APP_DOMAIN')}`
  const port = appUrl.port ? `:${appUrl.port}` : ''
  return `${appUrl.protocol}//${host}${port}${path}`
}

export function brandFor(tenant: Tenant): MailBrand {
  const theme = resolveTheme(tenant.theme)
  return {
    name: tenant.name,
    primary: theme.primary,
    accent: theme.accent,
    text: theme.text,
    logoUrl: theme.logoUrl,
  }
}

/** Translator in the recipient's language, falling back to the tenant's */
export function translatorFor(locale: string | null | undefined, tenant: Tenant) {
  const i18n = i18nManager.locale(i18nManager.getSupportedLocaleFor(locale ?? tenant.locale) ?? 'en')
  return (key: string, data?: Record<string, any>) => i18n.t(key, data)
}

/*
| Mail goes out in the background (in-memory messenger until the jobs service lands), so the
| request does not wait for SMTP and its timing does not reveal whether a mail was sent.
*/
export async function deliver(message: BaseMail) {
  await mail.sendLater(message)
}

function addresses(recipients: NodeMailerMessage['to']) {
  return (recipients ?? []).map((r) => (typeof r === 'string' ? r : r.address))
}

/*
| Development mail box: the "log" mailer only renders messages, so each one is kept as a JSON
| file (storage/mail/<timestamp>-<to>.json) and announced in the log with its first link.
*/
export async function writeMailToDisk(message: NodeMailerMessage, directory: string) {
  const to = addresses(message.to)
  const stamp = new Date().toISOString().replace(/[:.]/g, '-')
  const safeTo = (to[0] ?? 'unknown').replace(/[^a-zA-Z0-9@._-]/g, '_')
  const file = join(directory, `${stamp}-${safeTo}.json`)
  await mkdir(directory, { recursive: true })
  const body = {
    from: message.from,
    to,
    subject: message.subject,
    text: message.text,
    html: message.html,
  }
  await writeFile(file, JSON.stringify(body, null, 2))
  const link = String(message.text ?? '').match(/https?:\/\/\S+/)?.[0] ?? null
  return { file, to, subject: message.subject, link }
}
