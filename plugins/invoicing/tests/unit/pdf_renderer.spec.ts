import { test } from '@japa/runner'
import { createServer, type Server } from 'node:http'
import { readdirSync, readFileSync, mkdirSync, writeFileSync, statSync, utimesSync, rmSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import type { AddressInfo } from 'node:net'
import app from '@adonisjs/core/services/app'
import { PDFDocument } from 'pdf-lib'
import { BrowserPool } from '../../services/pdf/browser_pool.js'
import { renderDocumentPdf } from '../../services/pdf/index.js'
import { buildDocumentHtml, paperFor, wrapHtml } from '../../services/pdf/html.js'
import { builtinTemplate, BUILTIN_DESIGNS } from '../../services/pdf/designs.js'
import { pdfPool, renderDocumentHtml, printHtml } from '../../services/pdf/document_renderer.js'
import { sampleDocumentView } from '../../services/pdf/sample_view.js'
import { pageTexts } from './pdf_text.js'

const A4_HEIGHT = 841.89
const LETTER_HEIGHT = 792

async function pageCount(pdf: Buffer) {
  return (await PDFDocument.load(pdf)).getPageCount()
}

/** Direct chromium children of this process (the pools' browsers) */
function chromiumChildren(): number[] {
  const pids: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      if (ppid === process.pid && name.includes('chrom')) pids.push(Number(entry))
    } catch {}
  }
  return pids
}

/** A server that counts every request it gets: the renderer must never reach it */
async function countingServer() {
  const hits: string[] = []
  const connections: number[] = []
  const server: Server = createServer((req, res) => {
    hits.push(req.url ?? '')
    res.setHeader('content-type', req.url?.endsWith('.css') ? 'text/css' : 'text/html')
    res.end('body { background: red }')
  })
  server.on('connection', () => connections.push(Date.now()))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  const close = () => {
    server.closeAllConnections()
    return new Promise<void>((resolve) => server.close(() => resolve()))
  }
  return { hits, connections, port, close }
}

test.group('Invoicing PDF renderer', (group) => {
  group.each.timeout(60_000)

  test('a tenant template that reaches for the network or file: makes no request and still prints', async ({ assert }) => {
    const server = await countingServer()
    const base = `http://127.0.0.1:${server.port}`
    /*
    | A local file whose access time is set far in the past: any read by the renderer would bump
    | it (relatime updates an atime older than the mtime), so an unchanged atime proves no read.
    */
    mkdirSync(app.makePath('tmp'), { recursive: true })
    const probe = app.makePath(`tmp/pdf-file-probe-${process.pid}.html`)
    writeFileSync(probe, '<h1>secret</h1>')
    const longAgo = new Date('2020-01-01T00:00:00Z')
    utimesSync(probe, longAgo, statSync(probe).mtime)
    const local = pathToFileURL(probe).href
    const hostile = `
      <img src="${local}"><iframe src="${local}"></iframe><link rel="stylesheet" href="${local}">
      <object data="${local}"></object><style>@import url("${local}");</style>
      <meta http-equiv="refresh" content="0;url=${local}">
      <style>@import url("${base}/import.css"); body { background-image: url(${base}/bg.png) }
      @font-face { font-family: x; src: url(${base}/font.woff2) } h1 { font-family: x }</style>
      <link rel="stylesheet" href="${base}/link.css"><link rel="prefetch" href="${base}/prefetch">
      <link rel="dns-prefetch" href="${base}"><link rel="preconnect" href="${base}">
      <meta http-equiv="refresh" content="0;url=${base}/refresh">
      <META HTTP-EQUIV="refresh" content="0;url=file:///etc/passwd">
      <img src="${base}/img.png" srcset="${base}/img2.png 2x"><img src="file:///etc/passwd">
      <iframe src="${base}/frame"></iframe><iframe src="file:///etc/passwd"></iframe>
      <object data="${base}/object"></object><embed src="${base}/embed"><video poster="${base}/poster.png"></video>
      <audio src="${base}/audio.mp3" autoplay></audio><script src="${base}/script.js"></script>
      <svg><image href="${base}/svg.png"/></svg><form action="${base}/form"><button>x</button></form>
      <h1>{{ meta.title }} {{ meta.number }}</h1>`
    const view = sampleDocumentView()
    const html = await buildDocumentHtml(view, hostile, 'A4')
    const pdf = await printHtml(html, view, 'A4')
    await new Promise((resolve) => setTimeout(resolve, 500))
    await server.close()

    assert.deepEqual(server.hits, [])
    assert.lengthOf(server.connections, 0, 'not even a TCP connection reached the server')
    assert.equal(statSync(probe).atime.getTime(), longAgo.getTime(), 'the file: URL was never read')
    rmSync(probe)
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-')
    assert.equal(await pageCount(pdf), 1)
  })

  test('a 200-line invoice breaks across pages with the table header on every page', async ({ assert }) => {
    const view = sampleDocumentView({ lines: 200 })
    const { html } = await renderDocumentHtml(view, { designKey: 'builtin:classic' })
    assert.include(html, 'thead { display: table-header-group; }')
    const pdf = await printHtml(html, view, 'A4')
    const pages = await pageCount(pdf)
    assert.isAbove(pages, 3)

    // Every page starts its part of the table with the header row, and the lines run on in order
    const texts = await pageTexts(pdf)
    assert.lengthOf(texts, pages)
    for (const [index, text] of texts.entries()) {
      assert.include(text, 'DESCRIPTIONQTYUNITPRICEVATAMOUNT', `header row on page ${index + 1}`)
      assert.include(text, `Page${index + 1}of${pages}`, `page footer on page ${index + 1}`)
    }
    assert.include(texts[texts.length - 1], '(200)')
    assert.notInclude(texts[0], '(200)')
    const doc = await PDFDocument.load(pdf)
    assert.closeTo(doc.getPage(0).getHeight(), A4_HEIGHT, 1)
  })

  test('paper is Letter for North American locales, A4 elsewhere, the setting wins', async ({ assert }) => {
    assert.equal(paperFor('en-US', 'auto'), 'Letter')
    assert.equal(paperFor('en-CA', null), 'Letter')
    assert.equal(paperFor('es-MX', 'auto'), 'Letter')
    assert.equal(paperFor('en-GB', 'auto'), 'A4')
    assert.equal(paperFor('de-DE', undefined), 'A4')
    assert.equal(paperFor('en', 'auto'), 'Letter')
    assert.equal(paperFor('en-US', 'A4'), 'A4')
    assert.equal(paperFor('de-DE', 'Letter'), 'Letter')
    const view = sampleDocumentView({ locale: 'en-US', currency: 'USD' })
    const pdf = await renderDocumentPdf(view, { designKey: 'builtin:modern' })
    assert.closeTo((await PDFDocument.load(pdf)).getPage(0).getHeight(), LETTER_HEIGHT, 1)
  })

  test('XSS payloads in document fields come back escaped in the HTML and the printed page', async ({ assert }) => {
    const payload = `<script>window.x=1</script><img src=x onerror="alert(1)">"'&`
    const view = sampleDocumentView({ lines: 2 })
    view.buyer.name = payload
    view.lines[0].description = payload
    view.notes = payload
    view.meta.references = [{ label: payload, value: payload }]
    for (const design of BUILTIN_DESIGNS) {
      const { html } = await renderDocumentHtml(view, { designKey: `builtin:${design}` })
      assert.notInclude(html, '<script>window.x=1</script>')
      assert.notInclude(html, '<img src=x')
      assert.include(html, '&lt;script&gt;window.x=1&lt;/script&gt;')
      const printed = await pdfPool().run(html, async (page) => ({
        scripts: await page.locator('script').count(),
        images: await page.locator('img').count(),
        text: await page.locator('body').innerText(),
      }))
      assert.equal(printed.scripts, 0)
      assert.equal(printed.images, 0)
      assert.include(printed.text, '<script>window.x=1</script>')
      const pdf = await printHtml(html, view, 'A4')
      assert.equal(pdf.subarray(0, 5).toString(), '%PDF-')
    }
  })

  test('a killed browser is replaced and the render retried', async ({ assert }) => {
    const pool = new BrowserPool({ size: 2 })
    const view = sampleDocumentView()
    const html = wrapHtml('<h1>Hello</h1>', view, 'A4')
    const others = new Set(chromiumChildren())
    try {
      assert.equal(await pageCount(await pool.printPdf(html, { format: 'A4' })), 1)
      const mine = chromiumChildren().filter((pid) => !others.has(pid))
      assert.isAbove(mine.length, 0)
      for (const pid of mine) process.kill(pid, 'SIGKILL')
      await new Promise((resolve) => setTimeout(resolve, 300))
      const pdf = await pool.printPdf(html, { format: 'A4' })
      assert.equal(await pageCount(pdf), 1)
      assert.equal(pool.launches, 2)

      // A kill during renders in flight: they are retried on the new browser
      const renders = Array.from({ length: 4 }, () => pool.printPdf(html, { format: 'A4' }))
      await new Promise((resolve) => setTimeout(resolve, 5))
      for (const pid of chromiumChildren().filter((p) => !others.has(p))) process.kill(pid, 'SIGKILL')
      const results = await Promise.all(renders)
      assert.lengthOf(results, 4)
      for (const result of results) assert.equal(result.subarray(0, 5).toString(), '%PDF-')
      assert.equal(pool.launches, 3)
    } finally {
      await pool.close()
    }
  })

  test('PDFs are cached per document version: same key reuses, new key renders afresh', async ({ assert }) => {
    const view = sampleDocumentView()
    const key = `invoice-${Date.now()}-v1`
    const first = await renderDocumentPdf(view, { designKey: 'builtin:compact', cacheKey: key })
    view.buyer.name = 'Changed Buyer Ltd'
    const cached = await renderDocumentPdf(view, { designKey: 'builtin:compact', cacheKey: key })
    assert.isTrue(first.equals(cached), 'same cache key answers the stored bytes')
    const fresh = await renderDocumentPdf(view, { designKey: 'builtin:compact', cacheKey: key.replace('v1', 'v2') })
    assert.isFalse(first.equals(fresh), 'a new version renders again')
    const otherDesign = await renderDocumentPdf(view, { designKey: 'builtin:modern', cacheKey: key })
    assert.isFalse(first.equals(otherDesign), 'another design is not answered from the cache')
  })

  test('the built-in designs print and are captured for review', async ({ assert }) => {
    mkdirSync(app.makePath('tmp/screenshots'), { recursive: true })
    const logo =
      'data:image/svg+xml;base64,' +
      Buffer.from(
        '<svg xmlns="http://www.w3.org/2000/svg" width="180" height="44"><rect width="44" height="44" rx="10" fill="#3348d1"/><text x="54" y="30" font-family="sans-serif" font-size="22" font-weight="700" fill="#1b1f2a">Northwind</text></svg>'
      ).toString('base64')
    for (const design of BUILTIN_DESIGNS) {
      assert.isAbove((await builtinTemplate(design)).length, 500)
      const view = sampleDocumentView({ logoDataUrl: logo, theme: design === 'modern' ? { primary: '#0f3d5e', accent: '#c2410c' } : {} })
      const { html } = await renderDocumentHtml(view, { designKey: `builtin:${design}` })
      // Screen media: the shell pads the page like the PDF margins
      const png = await pdfPool().run(html, async (page) => {
        await page.setViewportSize({ width: 794, height: 1123 })
        await page.emulateMedia({ media: 'screen' })
        return page.screenshot({ fullPage: true })
      })
      writeFileSync(app.makePath(`tmp/screenshots/invoicing-pdf-${design}.png`), png)
      const pdf = await printHtml(html, view, 'A4')
      writeFileSync(app.makePath(`tmp/screenshots/invoicing-pdf-${design}.pdf`), pdf)
      assert.equal(await pageCount(pdf), 1, `${design} fits a short invoice on one page`)
    }
  })
})
