/*
| Browser test helpers: tenant URLs, signing in through the real login form, waiting for the
| front-end to settle, axe checks and screenshots (tmp/screenshots, gitignored).
*/
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { Page } from 'playwright'
import type { Assert } from '@japa/assert'
import { AxeBuilder } from '@axe-core/playwright'
import app from '@adonisjs/core/services/app'
import type User from '#models/user'
import { PASSWORD, type TestTenant } from '#tests/helpers/tenants'

type Visit = (url: string) => Promise<Page>

/*
 * The functions passed to page.evaluate run in Chromium. The server's tsconfig has no DOM types,
 * so the browser globals they use are named here, and specs use the helpers below.
 */
declare const window: any
declare const document: any
declare const localStorage: any
declare const getComputedStyle: (el: unknown) => any

/** Absolute URL on a tenant's host: Chromium resolves `<slug>.localhost` to loopback itself */
export function urlFor(t: Pick<TestTenant, 'host'>, path = '/') {
  return `http://${t.host}:${process.env.PORT}${path}`
}

/** Resolves once Alpine has initialised every component on the page and HTMX is running */
export async function frontEndReady(page: Page) {
  await page.waitForFunction(() => {
    if (!window.htmx || !window.Alpine) return false
    return [...document.querySelectorAll('[x-data]')].every((el: any) => el._x_dataStack)
  })
}

/** Fills the login form and submits it; does not wait for the outcome */
export async function submitLogin(page: Page, email: string, password: string) {
  await page.locator('#email').fill(email)
  await page.locator('#password').fill(password)
  await page.locator('form[action="/login"] button[type="submit"]').click()
}

/**
 * Signs in through the real login form (the page's own boosted submit) and waits for the
 * dashboard with its widgets loaded, or for `path` when a protected page was asked for.
 */
export async function signIn(visit: Visit, t: TestTenant, options: { user?: User; path?: string } = {}) {
  const user = options.user ?? t.owner
  const target = options.path ?? '/app'
  const page = await visit(urlFor(t, target === '/app' ? '/login' : target))
  await frontEndReady(page)
  await submitLogin(page, user.email, PASSWORD)
  await page.waitForURL((url) => url.pathname === target)
  if (target === '/app') await widgetsLoaded(page)
  await frontEndReady(page)
  return page
}

/** Waits until every lazy dashboard widget has swapped its placeholder for content */
export async function widgetsLoaded(page: Page) {
  await page.locator('#kernel-dashboard-widgets').waitFor()
  await page.waitForFunction(() => !document.querySelector('#kernel-dashboard-widgets .skeleton'))
}

/** A computed style property of the first element matching selector */
export function styleOf(page: Page, selector: string, property: string): Promise<string> {
  return page.locator(selector).first().evaluate((el, p) => getComputedStyle(el)[p], property)
}

export function backgroundOf(page: Page, selector = 'body') {
  return styleOf(page, selector, 'backgroundColor')
}

/** A custom property (theme token) as resolved on the root element */
export function rootToken(page: Page, name: string): Promise<string> {
  return page.evaluate((n) => getComputedStyle(document.documentElement).getPropertyValue(n).trim(), name)
}

/** The light/dark/auto mode in effect (data-theme on <html>) */
export function themeMode(page: Page): Promise<string | undefined> {
  return page.evaluate(() => document.documentElement.dataset.theme)
}

export function storedThemeMode(page: Page): Promise<string | null> {
  return page.evaluate(() => localStorage.getItem('cf-theme-mode'))
}

/** Switches light/dark/auto on the open page, as the top bar button does, without a reload */
export async function applyMode(page: Page, mode: 'auto' | 'light' | 'dark') {
  await page.evaluate((m) => (document.documentElement.dataset.theme = m), mode)
}

/** What has keyboard focus: its id, data-testid, data-nav-id, href and classes */
export function focused(page: Page): Promise<{ id: string; testid?: string; navId?: string; href: string | null; className: string } | null> {
  return page.evaluate(() => {
    const el = document.activeElement
    if (!el || el === document.body) return null
    return { id: el.id, testid: el.dataset.testid, navId: el.dataset.navId, href: el.getAttribute('href'), className: String(el.className) }
  })
}

/** Waits until the element with keyboard focus matches selector (focus often moves a tick later) */
export async function waitForFocus(page: Page, selector: string) {
  await page.waitForFunction((s) => document.activeElement?.matches(s), selector)
}

/** True when the page scrolls sideways (something is wider than the viewport) */
export function overflowsX(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth)
}

/** Marks the current document; the mark survives HTMX swaps but not a full page load */
export async function markDocument(page: Page) {
  await page.evaluate(() => (window.cfSameDocument = true))
}

export function isSameDocument(page: Page): Promise<boolean> {
  return page.evaluate(() => window.cfSameDocument === true)
}

/**
 * Runs axe (WCAG 2.0–2.2 A/AA rules and best practices) and fails on serious or critical
 * violations, listing rule, impact and the offending elements. `coloursOnly` runs just the
 * colour rules, for a second pass after switching light/dark (nothing else changes).
 * Options of native selects are skipped: the browser draws them, and long lists (time zones)
 * made each run several times slower. Script-less sandboxed iframes (live previews of tenant
 * templates) are skipped: axe cannot run inside them and would wait for each until it times out.
 */
export async function assertAccessible(page: Page, assert: Assert, label: string, options: { coloursOnly?: boolean } = {}) {
  const builder = new AxeBuilder({ page }).exclude('option')
  const sandboxedFrames = await page.locator('iframe[sandbox]:not([sandbox*="allow-scripts"])').count()
  if (sandboxedFrames > 0) builder.setLegacyMode(true).options({ iframes: false })
  if (options.coloursOnly) builder.withRules(['color-contrast', 'link-in-text-block'])
  else builder.withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'])
  const results = await builder.analyze()
  const blocking = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
  assert.deepEqual(blocking, [], `accessibility violations on ${label}:\n${blocking.join('\n')}`)
}

/** Saves a full-page PNG to tmp/screenshots/<name>.png for a person to look at */
export async function screenshot(page: Page, name: string) {
  const dir = app.makePath('tmp/screenshots')
  await mkdir(dir, { recursive: true })
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true, animations: 'disabled' })
}
