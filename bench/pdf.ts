/*
| PDF rendering: the warm browser with its page pool against launching a fresh Chromium for each
| PDF, in the same run, on invoices of 3 to 25 lines in the built-in designs.
|   bash bench/run.sh pdf [--count 500] [--fresh 40] [--pool 2]
| `--fresh` is smaller than `--count` by default: a cold launch costs about a second per PDF.
*/
import { cpus, loadavg, totalmem, platform, release } from 'node:os'
import { parseArgs } from 'node:util'
import { bootConsoleApp } from './boot_app.js'

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '500' },
    fresh: { type: 'string', default: '40' },
    pool: { type: 'string', default: '2' },
  },
})
const COUNT = Number(values.count)
const FRESH = Number(values.fresh)
process.env.PDF_POOL_SIZE = values.pool

const app = await bootConsoleApp(new URL('../', import.meta.url))
const { chromium } = await import('playwright-core')
const { BrowserPool, CHROMIUM_ARGS } = await import('../plugins/invoicing/services/pdf/browser_pool.js')
const { renderDocumentHtml } = await import('../plugins/invoicing/services/pdf/document_renderer.js')
const { footerHtml } = await import('../plugins/invoicing/services/pdf/html.js')
const { sampleDocumentView } = await import('../plugins/invoicing/services/pdf/sample_view.js')
const { BUILTIN_DESIGNS } = await import('../plugins/invoicing/services/pdf/designs.js')

/* The documents: deterministic mix of sizes and designs, HTML built up front so both modes print the same pages */
const jobs = await Promise.all(
  Array.from({ length: COUNT }, async (_, i) => {
    const view = sampleDocumentView({ lines: 3 + ((i * 7) % 23) })
    view.meta.number = `INV-2026-${String(i + 1).padStart(5, '0')}`
    const { html } = await renderDocumentHtml(view, { designKey: `builtin:${BUILTIN_DESIGNS[i % BUILTIN_DESIGNS.length]}` })
    return { html, footer: footerHtml(view) }
  })
)

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
}

interface Result {
  mode: string
  n: number
  concurrency: number
  latencies: number[]
  wallMs: number
  bytes: number
  failures: string[]
}

async function runPool(concurrency: number): Promise<Result> {
  const pool = new BrowserPool({ size: Number(values.pool) })
  await pool.printPdf(jobs[0].html, { format: 'A4', footerHtml: jobs[0].footer })
  for (let i = 0; i < Number(values.pool); i++) await pool.printPdf(jobs[i].html, { format: 'A4', footerHtml: jobs[i].footer })
  const latencies: number[] = []
  const failures: string[] = []
  let bytes = 0
  let next = 0
  const started = performance.now()
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < jobs.length) {
        const job = jobs[next++]
        const t0 = performance.now()
        try {
          const pdf = await pool.printPdf(job.html, { format: 'A4', footerHtml: job.footer })
          latencies.push(performance.now() - t0)
          bytes += pdf.length
        } catch (error) {
          failures.push((error as Error).message.split('\n')[0])
        }
      }
    })
  )
  const wallMs = performance.now() - started
  await pool.close()
  return { mode: 'warm pool', n: latencies.length, concurrency, latencies, wallMs, bytes, failures }
}

async function runFresh(): Promise<Result> {
  const latencies: number[] = []
  let bytes = 0
  const started = performance.now()
  for (const job of jobs.slice(0, FRESH)) {
    const t0 = performance.now()
    const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: CHROMIUM_ARGS })
    const context = await browser.newContext({ offline: true, javaScriptEnabled: false })
    await context.route('**/*', (route) => route.abort('blockedbyclient'))
    const page = await context.newPage()
    await page.setContent(job.html, { waitUntil: 'load' })
    const pdf = await page.pdf({
      format: 'A4',
      printBackground: true,
      margin: { top: '16mm', bottom: '18mm', left: '14mm', right: '14mm' },
      displayHeaderFooter: true,
      headerTemplate: '<span></span>',
      footerTemplate: job.footer,
    })
    await browser.close()
    latencies.push(performance.now() - t0)
    bytes += pdf.length
  }
  return { mode: 'fresh browser per PDF', n: FRESH, concurrency: 1, latencies, wallMs: performance.now() - started, bytes, failures: [] }
}

const sequential = await runPool(1)
const parallel = await runPool(Number(values.pool))
const fresh = await runFresh()
const version = await (async () => {
  const b = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: CHROMIUM_ARGS })
  const v = b.version()
  await b.close()
  return v
})()

const rows = [sequential, parallel, fresh].map((r) => {
  const sorted = [...r.latencies].sort((a, b) => a - b)
  return {
    mode: r.mode,
    PDFs: r.n,
    concurrency: r.concurrency,
    'p50 ms': Number(percentile(sorted, 50).toFixed(1)),
    'p95 ms': Number(percentile(sorted, 95).toFixed(1)),
    'PDFs/s': Number(((r.n / r.wallMs) * 1000).toFixed(2)),
    'avg KiB': Math.round(r.bytes / r.n / 1024),
    failed: r.failures.length,
  }
})

const cpu = cpus()
console.log(`Machine: ${cpu.length} × ${cpu[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${platform()} ${release()}, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`)
console.log(`Node ${process.version}, Chromium ${version}, pool size ${values.pool}, invoices of 3–25 lines in ${BUILTIN_DESIGNS.join('/')} designs, A4`)
console.table(rows)
const speedup = rows[2]['p50 ms'] / rows[0]['p50 ms']
console.log(`Warm pool p50 is ${speedup.toFixed(1)}× faster than a fresh browser per PDF (goal ≥ 10×, p50 ≤ 100 ms: ${rows[0]['p50 ms'] <= 100 ? 'met' : 'not met'})`)
await app.terminate()
