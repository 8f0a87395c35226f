/*
| Minimal text extraction for Chromium's PDFs, enough for tests to read what each page shows:
| decodes the page content streams and maps glyph ids through each font's ToUnicode CMap.
*/
import { inflateSync } from 'node:zlib'
import { PDFDocument, PDFName, PDFRawStream, type PDFDict, type PDFArray, type PDFRef } from 'pdf-lib'

function decode(stream: PDFRawStream) {
  const bytes = Buffer.from(stream.contents)
  return (stream.dict.get(PDFName.of('Filter')) ? inflateSync(bytes) : bytes).toString('latin1')
}

function toUnicode(doc: PDFDocument, fontRef: PDFRef) {
  const map = new Map<number, string>()
  const font = doc.context.lookup(fontRef) as PDFDict
  const ref = font.get(PDFName.of('ToUnicode'))
  if (!ref) return map
  const cmap = decode(doc.context.lookup(ref) as PDFRawStream)
  const chars = (hex: string) => String.fromCodePoint(...(hex.match(/.{4}/g) ?? []).map((h) => Number.parseInt(h, 16)))
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const m of block[1].matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) map.set(Number.parseInt(m[1], 16), chars(m[2]))
  }
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const m of block[1].matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) {
      const [from, to, start] = [m[1], m[2], m[3]].map((h) => Number.parseInt(h, 16))
      for (let glyph = from; glyph <= to; glyph++) map.set(glyph, String.fromCodePoint(start + glyph - from))
    }
  }
  return map
}

/** The text of every page, whitespace removed (Chromium places glyph runs one by one) */
export async function pageTexts(pdf: Uint8Array): Promise<string[]> {
  const doc = await PDFDocument.load(pdf)
  return doc.getPages().map((page) => {
    const maps = new Map<string, Map<number, string>>()
    const fonts = page.node.Resources()?.get(PDFName.of('Font'))
    if (fonts) {
      for (const [name, ref] of (doc.context.lookup(fonts) as PDFDict).entries()) maps.set(name.asString(), toUnicode(doc, ref as PDFRef))
    }
    const contents = page.node.Contents()
    const streams =
      contents instanceof PDFRawStream
        ? [contents]
        : ((contents as PDFArray | undefined)?.asArray() ?? []).map((ref) => doc.context.lookup(ref) as PDFRawStream)
    let text = ''
    let cmap: Map<number, string> | undefined
    for (const stream of streams) {
      for (const m of decode(stream).matchAll(/(\/\S+)\s+[\d.]+\s+Tf|<([0-9A-Fa-f]+)>\s*Tj|\[([^\]]*)\]\s*TJ/g)) {
        if (m[1]) {
          cmap = maps.get(m[1])
          continue
        }
        const runs = m[2] ? [m[2]] : [...m[3].matchAll(/<([0-9A-Fa-f]+)>/g)].map((x) => x[1])
        for (const run of runs) for (const glyph of run.match(/.{4}/g) ?? []) text += cmap?.get(Number.parseInt(glyph, 16)) ?? ''
      }
    }
    return text.replace(/\s+/g, '')
  })
}
