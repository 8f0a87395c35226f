/*
| The documents pages beyond the main flow: a bulk action watched live until its job is done,
| the filter form swapping the list in place, and every page usable at 360 px.
*/
import { test } from '@japa/runner'
import jobs from '#services/jobs'
import { applyMode, assertAccessible, isSameDocument, markDocument, overflowsX, screenshot, signIn, urlFor } from '#tests/helpers/browser'
import Document from '#plugins/invoicing/models/document'
import { fixture, draft, issued } from '#plugins/invoicing/tests/helpers/documents_ui'

test.group('Browser: invoicing documents', (group) => {
  group.each.timeout(120_000)

  test('bulk finalise: the progress page follows the job live and shows the result', async ({ visit, assert }) => {
    const f = await fixture()
    const a = await draft(f)
    const b = await draft(f)
    const page = await signIn(visit, f.t, { path: '/app/invoicing/invoices' })
    await markDocument(page)
    await page.locator('#inv-status').selectOption('draft')
    await page.waitForURL(/status=draft/)
    await page.locator('#invoicing-invoices-list tbody tr').first().waitFor()
    assert.isTrue(await isSameDocument(page), 'the filter swaps the list without a page load')
    await page.locator(`tr[data-document-id="${a.id}"] input[type="checkbox"]`).check()
    await page.locator(`tr[data-document-id="${b.id}"] input[type="checkbox"]`).check()
    await page.locator('#invoicing-invoices-list-action').selectOption('finalize')
    await page.getByTestId('bulk-run').click()
    await page.waitForURL(/\/app\/invoicing\/bulk\/\d+$/)
    await page.locator('#invoicing-bulk-progress[data-live="true"]').waitFor()
    await screenshot(page, 'invoicing-bulk-queued')
    await jobs.drain()
    await page.locator('#invoicing-bulk-progress[data-status="completed"]').waitFor({ timeout: 15_000 })
    assert.equal(await page.getByTestId('bulk-succeeded').innerText(), '2')
    assert.equal(await page.locator('#inv-job-bar').getAttribute('value'), '100')
    await assertAccessible(page, assert, 'bulk progress')
    await screenshot(page, 'invoicing-bulk-done')
    for (const id of [a.id, b.id]) assert.equal((await f.t.run(() => Document.findOrFail(id))).status, 'finalized')
  })

  test('list, editor, document page and payments at 360 px: no sideways scrolling, accessible', async ({ visit, assert }) => {
    const f = await fixture()
    const doc = await issued(f, 'invoice', { notes: 'Thank you for your business.', buyerReference: 'PO-7781' })
    const page = await signIn(visit, f.t, { path: '/app/invoicing/invoices' })
    await page.setViewportSize({ width: 360, height: 800 })
    for (const [path, name] of [
      ['/app/invoicing/invoices', 'list'],
      ['/app/invoicing/invoices/new', 'editor'],
      [`/app/invoicing/invoices/${doc.id}`, 'invoice'],
      ['/app/invoicing/payments', 'payments'],
      ['/app/invoicing/quotes', 'quotes'],
    ]) {
      await page.goto(urlFor(f.t, path))
      await page.locator('#main').waitFor()
      assert.isFalse(await overflowsX(page), `${path} scrolls sideways at 360 px`)
      await assertAccessible(page, assert, `${path} at 360 px`)
      await screenshot(page, `invoicing-360-${name}`)
      await applyMode(page, 'dark')
      await assertAccessible(page, assert, `${path} in dark mode`, { coloursOnly: true })
      await applyMode(page, 'light')
    }
  })
})
