/* The email templates every tenant starts with, in English and German (Liquid, plain text bodies) */
export const EMAIL_TEMPLATE_KEYS = ['invoice_sent', 'quote_sent', 'payment_receipt', 'payment_reminder'] as const
export type EmailTemplateKey = (typeof EMAIL_TEMPLATE_KEYS)[number]
export const EMAIL_LOCALES = ['en', 'de'] as const
export type EmailLocale = (typeof EMAIL_LOCALES)[number]

export interface EmailTemplateSource {
  subject: string
  body: string
}

export const EMAIL_DEFAULTS: Record<EmailLocale, Record<EmailTemplateKey, EmailTemplateSource>> = {
  en: {
    invoice_sent: {
      subject: 'Invoice {{ document.number }} from {{ company.name }}',
      body: `Hello {{ client.contact_name | default: client.name }},

please find attached invoice {{ document.number }} of {{ document.issue_date }} for {{ document.total }}, due on {{ document.due_date }}.

You can also view and download it online:
{{ document.url }}

Kind regards
{{ company.name }}`,
    },
    quote_sent: {
      subject: 'Quote {{ document.number }} from {{ company.name }}',
      body: `Hello {{ client.contact_name | default: client.name }},

please find attached our quote {{ document.number }} for {{ document.total }}, valid until {{ document.valid_until }}.

You can accept or decline it online:
{{ document.url }}

Kind regards
{{ company.name }}`,
    },
    payment_receipt: {
      subject: 'Payment received for invoice {{ document.number }}',
      body: `Hello {{ client.contact_name | default: client.name }},

thank you: we received your payment of {{ payment.amount }} on {{ payment.date }} for invoice {{ document.number }}.
{% if document.balance_due %}Remaining balance: {{ document.balance }}.{% else %}The invoice is now paid in full.{% endif %}

Kind regards
{{ company.name }}`,
    },
    payment_reminder: {
      subject: 'Reminder: invoice {{ document.number }} is due',
      body: `Hello {{ client.contact_name | default: client.name }},

this is a friendly reminder that invoice {{ document.number }} over {{ document.total }} was due on {{ document.due_date }}. The open balance is {{ document.balance }}.

You can view the invoice and pay online:
{{ document.url }}

If you have already paid, please disregard this message.

Kind regards
{{ company.name }}`,
    },
  },
  de: {
    invoice_sent: {
      subject: 'Rechnung {{ document.number }} von {{ company.name }}',
      body: `Guten Tag {{ client.contact_name | default: client.name }},

anbei erhalten Sie die Rechnung {{ document.number }} vom {{ document.issue_date }} über {{ document.total }}, fällig am {{ document.due_date }}.

Sie können die Rechnung auch online ansehen und herunterladen:
{{ document.url }}

Mit freundlichen Grüßen
{{ company.name }}`,
    },
    quote_sent: {
      subject: 'Angebot {{ document.number }} von {{ company.name }}',
      body: `Guten Tag {{ client.contact_name | default: client.name }},

anbei erhalten Sie unser Angebot {{ document.number }} über {{ document.total }}, gültig bis {{ document.valid_until }}.

Sie können es online annehmen oder ablehnen:
{{ document.url }}

Mit freundlichen Grüßen
{{ company.name }}`,
    },
    payment_receipt: {
      subject: 'Zahlungseingang für Rechnung {{ document.number }}',
      body: `Guten Tag {{ client.contact_name | default: client.name }},

vielen Dank: Wir haben Ihre Zahlung über {{ payment.amount }} vom {{ payment.date }} für die Rechnung {{ document.number }} erhalten.
{% if document.balance_due %}Offener Restbetrag: {{ document.balance }}.{% else %}Die Rechnung ist damit vollständig bezahlt.{% endif %}

Mit freundlichen Grüßen
{{ company.name }}`,
    },
    payment_reminder: {
      subject: 'Zahlungserinnerung: Rechnung {{ document.number }}',
      body: `Guten Tag {{ client.contact_name | default: client.name }},

wir möchten Sie freundlich daran erinnern, dass die Rechnung {{ document.number }} über {{ document.total }} am {{ document.due_date }} fällig war. Der offene Betrag beträgt {{ document.balance }}.

Sie können die Rechnung online ansehen und bezahlen:
{{ document.url }}

Sollten Sie bereits bezahlt haben, betrachten Sie diese Nachricht bitte als gegenstandslos.

Mit freundlichen Grüßen
{{ company.name }}`,
    },
  },
}

/** What the placeholders stand for: the context the send job passes in */
export interface EmailTemplateContext {
  company: { name: string; email?: string | null }
  client: { name: string; contact_name?: string | null; email?: string | null }
  document: {
    type?: string
    number: string | null
    issue_date?: string | null
    due_date?: string | null
    valid_until?: string | null
    total: string
    balance?: string | null
    balance_due?: boolean
    url?: string | null
  }
  payment?: { amount: string; date: string; method?: string | null; reference?: string | null }
}

export const PLACEHOLDERS = [
  'company.name', 'company.email', 'client.name', 'client.contact_name', 'client.email', 'document.number',
  'document.issue_date', 'document.due_date', 'document.valid_until', 'document.total', 'document.balance',
  'document.balance_due', 'document.url', 'payment.amount', 'payment.date', 'payment.method', 'payment.reference',
]

export function sampleEmailContext(companyName: string, locale: EmailLocale): EmailTemplateContext {
  const de = locale === 'de'
  return {
    company: { name: companyName, email: 'billing@example.com' },
    client: { name: 'Acme Corporation Ltd', contact_name: 'Jane Doe', email: 'ap@acme.example' },
    document: {
      type: 'invoice',
      number: 'INV-2026-00042',
      issue_date: de ? '20.11.2026' : '20 Nov 2026',
      due_date: de ? '04.12.2026' : '4 Dec 2026',
      valid_until: de ? '20.12.2026' : '20 Dec 2026',
      total: de ? '4.270,91 €' : '€4,270.91',
      balance: de ? '1.270,91 €' : '€1,270.91',
      balance_due: true,
      url: 'https://example.com/p/invoicing/d/abc123',
    },
    payment: { amount: de ? '3.000,00 €' : '€3,000.00', date: de ? '25.11.2026' : '25 Nov 2026', method: 'bank_transfer', reference: 'INV-2026-00042' },
  }
}
