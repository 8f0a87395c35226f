/*
| Design previews: the sample invoice in the tenant's own theme and logo, rendered with a template
| that may not be saved yet. Unsaved editor drafts are kept per user on the Drive disk (they can
| be far larger than a cookie session holds) so the preview iframe can GET them.
*/
import drive from '@adonisjs/drive/services/main'
import { FONTS, resolveTheme } from '#theming/theme'
import type Tenant from '#models/tenant'
import { buildDocumentHtml, paperFor } from './html.js'
import { printHtml } from './document_renderer.js'
import { sampleDocumentView } from './sample_view.js'
import type { PdfDocumentView } from './types.js'
import plugins from '#kernel/plugin_service'

/** The preview document's own CSP: the same walls as the PDF renderer, framed by us only */
export const PREVIEW_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:; frame-ancestors 'self'; form-action 'none'; base-uri 'none'"

export function previewView(tenant: Tenant, locale: string): PdfDocumentView {
  const theme = resolveTheme(tenant.theme)
  const view = sampleDocumentView({
    locale: locale === 'de' ? 'de-DE' : 'en-GB',
    sellerName: tenant.name,
    logoDataUrl: theme.logoUrl?.startsWith('data:image/') ? theme.logoUrl : null,
    theme: {
      primary: theme.primary,
      accent: theme.accent,
      surface: theme.surface,
      text: theme.text,
      font: theme.font,
      fontFamily: FONTS[theme.font],
      radius: theme.radius,
    },
  })
  if (locale === 'de') view.meta.title = 'Rechnung'
  return view
}

export async function previewPaper(tenant: Tenant, view: PdfDocumentView) {
  const settings = await plugins.settingsFor(tenant.id, 'invoicing')
  return paperFor(view.meta.locale, typeof settings.paperSize === 'string' ? settings.paperSize : null)
}

export async function previewHtml(tenant: Tenant, locale: string, template: string) {
  const view = previewView(tenant, locale)
  return buildDocumentHtml(view, template, await previewPaper(tenant, view))
}

export async function previewPdf(tenant: Tenant, locale: string, template: string) {
  const view = previewView(tenant, locale)
  const paper = await previewPaper(tenant, view)
  return printHtml(await buildDocumentHtml(view, template, paper), view, paper)
}

function draftKey(tenantId: number, userId: number) {
  return `invoicing/design-drafts/${tenantId}/${userId}.liquid`
}

export async function storeDraft(tenantId: number, userId: number, template: string) {
  await drive.use().put(draftKey(tenantId, userId), template)
}

export async function readDraft(tenantId: number, userId: number): Promise<string | null> {
  const disk = drive.use()
  const key = draftKey(tenantId, userId)
  return (await disk.exists(key)) ? disk.get(key) : null
}
