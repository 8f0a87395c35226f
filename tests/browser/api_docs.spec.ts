import { test } from '@japa/runner'
import { makeTenant } from '#tests/helpers/tenants'

test.group('Browser: API docs page', () => {
  test('Scalar renders the tenant document with no CSP violation and no third-party request', async ({ browserContext, assert }) => {
    const t = await makeTenant({ name: 'Docs Corp' })
    const origin = `http://${t.host}:${process.env.PORT}`
    const page = await browserContext.newPage()
    const problems: string[] = []
    const foreign: string[] = []
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text())
    })
    page.on('pageerror', (error) => problems.push(error.message))
    page.on('request', (request) => {
      if (!request.url().startsWith(origin) && !request.url().startsWith('data:')) foreign.push(request.url())
    })
    await page.goto(`${origin}/api/docs`)
    await page.getByText('The team of this workspace', { exact: false }).first().waitFor({ timeout: 20000 })
    /* the sample plugin's fragment is merged in: open its tag in the sidebar */
    await page.getByRole('button', { name: 'sample', exact: false }).first().click()
    await page.getByText('List notes').first().waitFor()
    assert.deepEqual(problems, [])
    assert.deepEqual(foreign, [])
    /* Scalar's own styles applied: the reference is laid out, not raw markup */
    const styled = await page.locator('style[nonce]').count()
    assert.isAbove(styled, 0)
    await page.close()
  })
})
