/*
| Turns a document view plus a design's Liquid template into one self-contained HTML page: our
| shell (CSP first in <head>, theme tokens as CSS variables, print rules for page breaks and
| repeated table headers) around the design's escaped output.
*/
import i18nManager from '@adonisjs/i18n/services/main'
import { FONTS, luminance, type FontKey } from '#theming/theme'
import { renderTemplate } from '../templates/liquid_sandbox.js'
import { PDF_CSP } from './browser_pool.js'
import type { PaperSize, PdfDocumentView, PdfLabels, PdfTheme } from './types.js'

export const LABEL_KEYS: Array<keyof PdfLabels> = [
  'billTo', 'from', 'number', 'issueDate', 'dueDate', 'deliveryDate', 'validUntil', 'position',
  'description', 'quantity', 'unit', 'unitPrice', 'discount', 'tax', 'amount', 'subtotal',
  'documentDiscount', 'net', 'total', 'paid', 'balance', 'vatId', 'taxId', 'notes', 'terms',
  'paymentInstructions', 'accountHolder', 'iban', 'bic', 'bank', 'paymentReference', 'viewOnline',
  'page', 'of',
]

/** Countries that print on US Letter; everyone else on A4 */
const LETTER_REGIONS = new Set(['US', 'CA', 'MX', 'PH', 'CL', 'CO', 'VE', 'PR', 'GT', 'CR', 'PA', 'DO', 'SV', 'NI', 'BZ'])

export function paperFor(locale: string, setting: string | null | undefined): PaperSize {
  if (setting === 'A4' || setting === 'Letter') return setting
  let region: string | undefined
  try {
    region = new Intl.Locale(locale).maximize().region
  } catch {
    region = undefined
  }
  return region && LETTER_REGIONS.has(region) ? 'Letter' : 'A4'
}

export function labelsFor(locale: string, overrides: Partial<PdfLabels> = {}): PdfLabels {
  const language = i18nManager.getSupportedLocaleFor(locale) ?? i18nManager.defaultLocale
  const i18n = i18nManager.locale(language)
  const labels = {} as PdfLabels
  for (const key of LABEL_KEYS) labels[key] = overrides[key] ?? i18n.t(`invoicing_pdf.labels.${key}`)
  return labels
}

const HEX = /^#[0-9a-fA-F]{6}$/

/** Only validated token values reach the style block, whatever the view carries */
function safeTheme(theme: Partial<PdfTheme> | undefined) {
  const colour = (value: unknown, fallback: string) => (typeof value === 'string' && HEX.test(value) ? value : fallback)
  const font: FontKey = theme?.font && theme.font in FONTS ? theme.font : 'system'
  const radius = Number.isFinite(theme?.radius) ? Math.min(Math.max(Number(theme!.radius), 0), 24) : 6
  const primary = colour(theme?.primary, '#3348d1')
  const accent = colour(theme?.accent, '#0f766e')
  return {
    primary,
    accent,
    text: colour(theme?.text, '#1b1f2a'),
    onPrimary: luminance(primary) > 0.4 ? '#111111' : '#ffffff',
    onAccent: luminance(accent) > 0.4 ? '#111111' : '#ffffff',
    fontFamily: FONTS[font],
    radius,
  }
}

function escapeHtml(value: string) {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

export function shellCss(theme: Partial<PdfTheme> | undefined, paper: PaperSize) {
  const t = safeTheme(theme)
  return `@page { size: ${paper}; }
:root { --primary: ${t.primary}; --accent: ${t.accent}; --text: ${t.text}; --on-primary: ${t.onPrimary};
  --on-accent: ${t.onAccent}; --font: ${t.fontFamily}; --radius: ${t.radius}px;
  --muted: color-mix(in srgb, var(--text) 62%, #fff); --rule: color-mix(in srgb, var(--text) 14%, #fff);
  --tint: color-mix(in srgb, var(--primary) 7%, #fff); }
* { box-sizing: border-box; }
html, body { margin: 0; padding: 0; background: #fff; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
thead { display: table-header-group; }
tfoot { display: table-footer-group; }
tr, img { break-inside: avoid; page-break-inside: avoid; }
@media screen { body { padding: 16mm 14mm; } }`
}

/** Everything a design template can read */
export function templateContext(view: PdfDocumentView, paper: PaperSize) {
  return {
    ...view,
    labels: labelsFor(view.meta.locale, view.labels),
    theme: view.seller.theme,
    paper,
    hasDiscounts: view.lines.some((line) => Boolean(line.discountDisplay)),
  }
}

export async function buildDocumentHtml(view: PdfDocumentView, template: string, paper: PaperSize) {
  const body = await renderTemplate(template, templateContext(view, paper), 'html')
  return wrapHtml(body, view, paper)
}

/*
| A <meta http-equiv=refresh> is the one way a page navigates itself with scripts off; CSP does not
| cover navigation, so tenant output cannot contain <meta> at all (a tag name cannot be encoded).
*/
export function neutraliseMeta(html: string) {
  return html.replace(/<(\/?)meta\b/gi, '<$1x-meta')
}

export function wrapHtml(body: string, view: Pick<PdfDocumentView, 'seller' | 'meta'>, paper: PaperSize) {
  const lang = escapeHtml(view.meta.locale || 'en')
  const title = escapeHtml([view.meta.title, view.meta.number].filter(Boolean).join(' '))
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${PDF_CSP}">
<meta name="referrer" content="no-referrer"><title>${title}</title>
<style>${shellCss(view.seller.theme, paper)}</style></head><body>${neutraliseMeta(body)}</body></html>`
}

/** Page footer drawn by Chromium on every page: document number and "Page n of m" */
export function footerHtml(view: PdfDocumentView) {
  const labels = labelsFor(view.meta.locale, view.labels)
  const left = escapeHtml([view.meta.title, view.meta.number].filter(Boolean).join(' '))
  const font = escapeHtml(safeTheme(view.seller.theme).fontFamily)
  return `<div style="font-family:${font};font-size:7.5pt;color:#6b7280;width:100%;margin:0 14mm;display:flex;justify-content:space-between">
<span>${left}</span><span>${escapeHtml(labels.page)} <span class="pageNumber"></span> ${escapeHtml(labels.of)} <span class="totalPages"></span></span></div>`
}
