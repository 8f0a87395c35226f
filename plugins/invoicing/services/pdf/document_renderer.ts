/*
| renderDocumentPdf behind the entry point: resolve the design, pick the paper, answer from the
| cache when this document version was already printed with this design revision, else print
| through the warm pool and keep the bytes.
*/
import { createHash } from 'node:crypto'
import drive from '@adonisjs/drive/services/main'
import plugins from '#kernel/plugin_service'
import { BrowserPool } from './browser_pool.js'
import { resolveDesign } from './designs.js'
import { buildDocumentHtml, footerHtml, paperFor } from './html.js'
import type { PaperSize, PdfDocumentView, RenderPdfOptions } from './types.js'

let pool: BrowserPool | null = null

/** The process-wide warm browser; created on first use */
export function pdfPool(): BrowserPool {
  pool ??= new BrowserPool()
  return pool
}

export async function closePdfPool() {
  const current = pool
  pool = null
  await current?.close()
}

async function paperSetting(tenantId: number | undefined): Promise<string | null> {
  if (!tenantId) return null
  const settings = await plugins.settingsFor(tenantId, 'invoicing')
  return typeof settings.paperSize === 'string' ? settings.paperSize : null
}

export async function resolvePaper(view: PdfDocumentView, tenantId: number | undefined): Promise<PaperSize> {
  return view.meta.paper ?? paperFor(view.meta.locale, await paperSetting(tenantId))
}

function cachePath(tenantId: number | undefined, parts: string[]) {
  const digest = createHash('sha256').update(parts.join('\u0000')).digest('hex')
  return `invoicing/pdf-cache/${tenantId ?? 0}/${digest}.pdf`
}

/** The HTML a PDF is printed from (also the design preview) */
export async function renderDocumentHtml(view: PdfDocumentView, options: RenderPdfOptions = {}) {
  const design = await resolveDesign(options.designKey, options.tenantId)
  const paper = await resolvePaper(view, options.tenantId)
  return { html: await buildDocumentHtml(view, design.template, paper), paper, design }
}

export async function printHtml(html: string, view: PdfDocumentView, paper: PaperSize) {
  return pdfPool().printPdf(html, { format: paper, footerHtml: footerHtml(view) })
}

export async function renderDocumentPdfImpl(view: PdfDocumentView, options: RenderPdfOptions): Promise<Buffer> {
  const { html, paper, design } = await renderDocumentHtml(view, options)
  if (!options.cacheKey) return printHtml(html, view, paper)

  const disk = drive.use()
  const key = cachePath(options.tenantId, [options.cacheKey, design.revision, paper])
  if (await disk.exists(key)) return Buffer.from(await disk.getBytes(key))
  const pdf = await printHtml(html, view, paper)
  await disk.put(key, pdf)
  return pdf
}
