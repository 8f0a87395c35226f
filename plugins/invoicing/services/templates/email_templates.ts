/*
| Per-tenant email templates: a tenant's saved override for (key, language) or the shipped
| default, rendered in the Liquid sandbox. The subject and text body render unescaped (plain
| text); the HTML body is that same text escaped as a whole (tenant's literal text and values
| alike) and laid out as paragraphs, so neither a template nor a client name can inject markup.
*/
import { audit } from '#services/audit_service'
import { NotFoundError } from '#exceptions/domain_errors'
import { tenantContext } from '#tenancy/tenant_context'
import EmailTemplate from '../../models/email_template.js'
import { checkTemplate, renderTemplate } from './liquid_sandbox.js'
import {
  EMAIL_DEFAULTS,
  EMAIL_LOCALES,
  EMAIL_TEMPLATE_KEYS,
  type EmailLocale,
  type EmailTemplateContext,
  type EmailTemplateKey,
  type EmailTemplateSource,
} from './email_defaults.js'

export interface RenderedEmail {
  subject: string
  text: string
  html: string
}

export class EmailTemplateError extends Error {
  readonly code = 'E_TEMPLATE_INVALID'
  constructor(readonly field: 'subject' | 'body', message: string) {
    super(message)
  }
}

export function emailLocale(locale: string | null | undefined): EmailLocale {
  const language = (locale ?? '').toLowerCase().split(/[-_]/)[0]
  return (EMAIL_LOCALES as readonly string[]).includes(language) ? (language as EmailLocale) : 'en'
}

export function isTemplateKey(key: string): key is EmailTemplateKey {
  return (EMAIL_TEMPLATE_KEYS as readonly string[]).includes(key)
}

export function requireTemplateRef(key: string, locale: string): { key: EmailTemplateKey; locale: EmailLocale } {
  if (!isTemplateKey(key) || !(EMAIL_LOCALES as readonly string[]).includes(locale)) throw new NotFoundError()
  return { key, locale: locale as EmailLocale }
}

/** The tenant's override, or the shipped default (`custom` tells them apart) */
export async function emailTemplateSource(tenantId: number, key: EmailTemplateKey, locale: EmailLocale) {
  const saved = await EmailTemplate.forTenant(tenantId).where('key', key).where('locale', locale).first()
  const source: EmailTemplateSource = saved ? { subject: saved.subject, body: saved.body } : EMAIL_DEFAULTS[locale][key]
  return { ...source, custom: Boolean(saved), updatedAt: saved?.updatedAt ?? null }
}

const URL_IN_TEXT = /\bhttps?:\/\/[^\s<>"']+/g

function escapeHtml(value: string) {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

/** Plain text to simple mail HTML: escaped, paragraphs, line breaks, clickable links */
function textToHtml(text: string) {
  return escapeHtml(text)
    .trim()
    .split(/\n{2,}/)
    .map((paragraph) => `<p>${paragraph.replace(URL_IN_TEXT, (url) => `<a href="${url}">${url}</a>`).replace(/\n/g, '<br>\n')}</p>`)
    .join('\n')
}

export async function renderEmailSource(source: EmailTemplateSource, context: EmailTemplateContext | Record<string, unknown>): Promise<RenderedEmail> {
  const data = context as Record<string, unknown>
  const subject = (await renderTemplate(source.subject, data, 'text')).replace(/\s+/g, ' ').trim()
  const text = (await renderTemplate(source.body, data, 'text')).trim()
  const html = textToHtml(text)
  return { subject, text, html }
}

/**
 * What the send jobs call: the tenant's template for `key` in the client's language (falling
 * back to English), rendered with `context`.
 */
export async function renderEmailTemplate(
  tenantId: number,
  key: EmailTemplateKey,
  context: EmailTemplateContext | Record<string, unknown>,
  locale: string | null | undefined
): Promise<RenderedEmail> {
  if (!isTemplateKey(key)) throw new NotFoundError()
  const source = await emailTemplateSource(tenantId, key, emailLocale(locale))
  return renderEmailSource(source, context)
}

export function validateEmailSource(source: EmailTemplateSource) {
  const subjectError = checkTemplate(source.subject, 'text')
  if (subjectError) throw new EmailTemplateError('subject', subjectError)
  const bodyError = checkTemplate(source.body, 'text')
  if (bodyError) throw new EmailTemplateError('body', bodyError)
}

export async function saveEmailTemplate(key: EmailTemplateKey, locale: EmailLocale, source: EmailTemplateSource) {
  validateEmailSource(source)
  const tenantId = tenantContext.requireTenant().id
  const existing = await EmailTemplate.query().where('key', key).where('locale', locale).first()
  const before = existing ? { subject: existing.subject, body: existing.body } : null
  if (existing) {
    existing.merge(source)
    await existing.save()
  } else {
    await EmailTemplate.create({ tenantId, key, locale, ...source })
  }
  await audit({ action: 'invoicing.email_template.saved', subjectType: 'invoicing_email_template', subjectId: `${key}/${locale}`, before, after: { ...source } })
}

export async function resetEmailTemplate(key: EmailTemplateKey, locale: EmailLocale) {
  const existing = await EmailTemplate.query().where('key', key).where('locale', locale).first()
  if (!existing) return
  await existing.delete()
  await audit({
    action: 'invoicing.email_template.reset',
    subjectType: 'invoicing_email_template',
    subjectId: `${key}/${locale}`,
    before: { subject: existing.subject, body: existing.body },
    after: null,
  })
}
