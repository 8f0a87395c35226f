/*
| One warm Chromium per process with a pool of pages. Every page lives in an offline context whose
| requests are all aborted; the HTML it prints carries a CSP that allows data: images and fonts
| only. So nothing a template asks for ever leaves the renderer (http:, https:, file:, ws:).
| A browser that dies is relaunched and the render retried once.
*/
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import env from '#start/env'

export const PDF_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:"

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
  /*
  | Belt and braces under the CSP and the route: Chromium opens speculative connections (frame
  | navigations, preconnects) before either applies. Every connection goes to a proxy on a closed
  | port instead, loopback included, so not even a TCP handshake reaches a real host.
  */
  '--proxy-server=socks5://127.0.0.1:1',
  '--proxy-bypass-list=<-loopback>',
]

export interface PdfPrintOptions {
  format: 'A4' | 'Letter'
  footerHtml?: string
}

interface PoolOptions {
  size: number
  executablePath: string
  renderTimeoutMs: number
}

interface Generation {
  browser: Browser
  context: BrowserContext
  /** Rejects when the browser dies: Playwright calls in flight at that moment may never settle */
  gone: Promise<never>
  idle: Page[]
  created: number
  dead: boolean
}

class BrowserGoneError extends Error {
  constructor(cause: unknown) {
    super('The PDF browser went away during a render', { cause })
  }
}

export class BrowserPool {
  #options: PoolOptions
  #generation: Promise<Generation> | null = null
  #live: Generation | null = null
  #waiters: Array<() => void> = []
  /** Requests that got past the CSP (navigations) and were aborted at the route */
  blockedRequests: string[] = []
  launches = 0

  constructor(options: Partial<PoolOptions> = {}) {
    this.#options = {
      size: options.size ?? env.get('PDF_POOL_SIZE', 2),
      executablePath: options.executablePath ?? env.get('CHROMIUM_PATH', '/usr/bin/chromium'),
      renderTimeoutMs: options.renderTimeoutMs ?? 20_000,
    }
  }

  get size() {
    return this.#options.size
  }

  async #launch(): Promise<Generation> {
    this.launches++
    const browser = await chromium.launch({
      executablePath: this.#options.executablePath,
      args: CHROMIUM_ARGS,
      headless: true,
    })
    const context = await browser.newContext({
      offline: true,
      javaScriptEnabled: false,
      serviceWorkers: 'block',
      acceptDownloads: false,
      bypassCSP: false,
    })
    await context.route('**/*', (route) => {
      this.blockedRequests.push(route.request().url())
      return route.abort('blockedbyclient')
    })
    const gone = new Promise<never>((_, reject) => {
      browser.once('disconnected', () => reject(new Error('The PDF browser disconnected')))
    })
    gone.catch(() => {})
    const gen: Generation = { browser, context, gone, idle: [], created: 0, dead: false }
    browser.on('disconnected', () => {
      gen.dead = true
    })
    return gen
  }

  #current(): Promise<Generation> {
    if (this.#live?.dead) {
      this.#live = null
      this.#generation = null
    }
    if (!this.#generation) {
      const launching = this.#launch()
      launching.then((gen) => (this.#live = gen)).catch(() => {})
      this.#generation = launching
      launching.catch(() => {
        if (this.#generation === launching) this.#generation = null
      })
    }
    return this.#generation
  }

  /** Whether an error came from the browser dying: its disconnect event may trail the error */
  async #gone(gen: Generation) {
    if (!gen.dead && gen.browser.isConnected()) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 500)
        gen.browser.once('disconnected', () => {
          clearTimeout(timer)
          resolve()
        })
      })
    }
    if (!gen.browser.isConnected()) gen.dead = true
    return gen.dead
  }

  /** A page of the live browser; waits for a free one when all `size` pages are busy */
  async #acquire(): Promise<{ gen: Generation; page: Page }> {
    for (;;) {
      const gen = await this.#current()
      const idle = gen.idle.pop()
      if (idle && !idle.isClosed()) return { gen, page: idle }
      if (idle) gen.created--
      if (gen.created < this.#options.size) {
        gen.created++
        try {
          return { gen, page: await Promise.race([gen.context.newPage(), gen.gone]) }
        } catch (error) {
          gen.created--
          if (await this.#gone(gen)) throw new BrowserGoneError(error)
          throw error
        }
      }
      await new Promise<void>((resolve) => this.#waiters.push(resolve))
    }
  }

  #release(gen: Generation, page: Page, healthy: boolean) {
    if (gen.dead || !healthy || page.isClosed()) {
      gen.created--
      page.close().catch(() => {})
    } else {
      gen.idle.push(page)
    }
    this.#waiters.shift()?.()
  }

  async #withPage<T>(fn: (page: Page) => Promise<T>): Promise<T> {
    const { gen, page } = await this.#acquire()
    let healthy = true
    try {
      return await Promise.race([fn(page), gen.gone])
    } catch (error) {
      healthy = false
      if (await this.#gone(gen)) throw new BrowserGoneError(error)
      throw error
    } finally {
      this.#release(gen, page, healthy)
    }
  }

  async #attempt<T>(fn: (page: Page) => Promise<T>): Promise<T> {
    try {
      return await this.#withPage(fn)
    } catch (error) {
      if (!(error instanceof BrowserGoneError)) throw error
      return this.#withPage(fn)
    }
  }

  /** Loads `html` into a pooled page (no network) and hands the page to `fn` */
  run<T>(html: string, fn: (page: Page) => Promise<T>): Promise<T> {
    return this.#attempt(async (page) => {
      await page.setContent(html, { waitUntil: 'load', timeout: this.#options.renderTimeoutMs })
      const result = await fn(page)
      await page.setContent('<!doctype html><title></title>', { waitUntil: 'commit' }).catch(() => {})
      return result
    })
  }

  printPdf(html: string, options: PdfPrintOptions): Promise<Buffer> {
    return this.run(html, async (page) => {
      await page.emulateMedia({ media: 'print' })
      return page.pdf({
        format: options.format,
        printBackground: true,
        preferCSSPageSize: false,
        margin: { top: '16mm', bottom: options.footerHtml ? '18mm' : '14mm', left: '14mm', right: '14mm' },
        displayHeaderFooter: Boolean(options.footerHtml),
        headerTemplate: '<span></span>',
        footerTemplate: options.footerHtml ?? '<span></span>',
        timeout: this.#options.renderTimeoutMs,
      } as Parameters<Page['pdf']>[0])
    })
  }

  async close() {
    const pending = this.#generation
    this.#generation = null
    this.#live = null
    if (!pending) return
    const gen = await pending.catch(() => null)
    if (!gen || gen.dead) return
    // A browser that is dying may never answer the close: do not hold up shutdown for it
    await Promise.race([gen.browser.close().catch(() => {}), new Promise((resolve) => setTimeout(resolve, 5_000).unref())])
  }
}
