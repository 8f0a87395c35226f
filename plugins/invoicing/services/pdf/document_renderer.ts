/* Placeholder body until the renderer lands in the next commits; the signature is final. */
import type { PdfDocumentView, RenderPdfOptions } from './types.js'

export async function renderDocumentPdfImpl(_view: PdfDocumentView, _options: RenderPdfOptions): Promise<Buffer> {
  throw new Error('PDF renderer not implemented yet')
}
