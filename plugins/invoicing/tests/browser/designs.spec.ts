import { test } from '@japa/runner'
import { makeTenant } from '#tests/helpers/tenants'
import type { Assert } from '@japa/assert'
import type { Page } from 'playwright'
import { AxeBuilder } from '@axe-core/playwright'
import { frontEndReady, screenshot, signIn } from '#tests/helpers/browser'
import PdfDesign from '../../models/pdf_design.js'

/*
| The shared axe check, minus the preview iframes: they are sandboxed without scripts by design,
| so axe cannot run inside them and would wait for each one until it times out.
*/
async function assertAccessible(page: Page, assert: Assert, label: string) {
  const results = await new AxeBuilder({ page })
    .exclude('option')
    .setLegacyMode(true)
    .options({ iframes: false })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'])
    .analyze()
  const blocking = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
  assert.deepEqual(blocking, [], `accessibility violations on ${label}:\n${blocking.join('\n')}`)
}

test.group('Browser: invoicing PDF designs and email templates', (group) => {
  group.each.timeout(120_000)

  test('customise a built-in design with live preview, save it, pick it as default', async ({ visit, assert }) => {
    const t = await makeTenant()
    const page = await signIn(visit, t, { path: '/app/invoicing/email-templates' })
    page.setDefaultTimeout(20_000)
    await page.goto(page.url().replace('/email-templates', '/designs'), { waitUntil: 'domcontentloaded' })
    await page.locator('#invoicing-designs-default').waitFor()
    await frontEndReady(page)
    await assertAccessible(page, assert, 'designs index')
    await screenshot(page, 'invoicing-designs-index')

    await page.locator('[data-design="builtin:modern"]').getByRole('link', { name: 'Customise a copy' }).click()
    await page.locator('#invoicing-designs-form').waitFor()
    await frontEndReady(page)
    await page.getByLabel('Name', { exact: true }).fill('Our letterhead')
    const frame = page.frameLocator('#invoicing-designs-preview-frame')
    await frame.locator('text=INV-2026-00042').first().waitFor()

    /* Typing in the template refreshes the sandboxed preview */
    const template = page.getByLabel('Template (Liquid)')
    await template.fill((await template.inputValue()).replace('{{ meta.title }}</h1>', '{{ meta.title }} · Live</h1>'))
    await frame.locator('h1', { hasText: 'Live' }).waitFor({ timeout: 15_000 })
    await assertAccessible(page, assert, 'design editor')
    await screenshot(page, 'invoicing-design-editor')

    await page.getByRole('button', { name: 'Create design' }).click()
    await page.locator('#invoicing-designs-versions').waitFor()
    const design = await PdfDesign.forTenant(t.tenant.id).where('name', 'Our letterhead').firstOrFail()
    assert.equal(design.activeVersion, 1)

    await page.goto(page.url().replace(/\/designs\/.*/, '/designs'))
    await page.locator(`[data-design="tenant:${design.id}"] input[type=radio]`).check()
    await page.getByRole('button', { name: 'Save default design' }).click()
    await page.locator(`[data-design="tenant:${design.id}"].is-default`).waitFor()
  })

  test('edit an email template with live preview', async ({ visit, assert }) => {
    const t = await makeTenant({ name: 'Nordlicht' })
    const page = await signIn(visit, t, { path: '/app/invoicing/email-templates/invoice_sent/en' })
    await page.locator('#invoicing-email-templates-form').waitFor()
    await frontEndReady(page)
    await page.getByLabel('Subject').fill('Your invoice {{ document.number }} is ready')
    await page.locator('#invoicing-email-templates-preview', { hasText: 'Your invoice INV-2026-00042 is ready' }).waitFor({ timeout: 15_000 })
    await assertAccessible(page, assert, 'email template editor')
    await screenshot(page, 'invoicing-email-template-editor')
    await page.getByRole('button', { name: 'Save' }).click()
    await page.locator('.badge, [role=status], .toast').first().waitFor()
  })
})
