/*
| PDF entry point for the rest of the plugin: a document view in, PDF bytes out.
*/
import type { PdfDocumentView, RenderPdfOptions } from './types.js'

export type * from './types.js'

export async function renderDocumentPdf(
  view: PdfDocumentView,
  options: RenderPdfOptions = {}
): Promise<Buffer> {
  const { renderDocumentPdfImpl } = await import('./document_renderer.js')
  return renderDocumentPdfImpl(view, options)
}
