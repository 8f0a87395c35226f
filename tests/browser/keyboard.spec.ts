import { test } from '@japa/runner'
import { makeTenant } from '#tests/helpers/tenants'
import { focused, frontEndReady, signIn, styleOf } from '#tests/helpers/browser'

test.group('Browser: keyboard use', () => {
  test('the first Tab reaches a visible skip link that moves focus to the content', async ({ visit, assert }) => {
    const t = await makeTenant()
    const page = await signIn(visit, t)
    /* a fresh load, so nothing has focus yet */
    await page.reload()
    await frontEndReady(page)

    await page.keyboard.press('Tab')
    const skip = page.locator('.skip-link')
    assert.equal((await focused(page))?.className, 'skip-link')
    const box = await skip.boundingBox()
    assert.isNotNull(box)
    assert.isAtLeast(box!.y, 0)
    assert.equal((await skip.innerText()).trim(), 'Skip to content')

    await page.keyboard.press('Enter')
    assert.equal((await focused(page))?.id, 'main')
  })

  test('focused controls show a visible focus ring', async ({ visit, assert }) => {
    const t = await makeTenant()
    const page = await signIn(visit, t)
    await page.locator('[data-nav-id="sample.notes"]').focus()
    await page.keyboard.press('Shift+Tab')
    await page.keyboard.press('Tab')
    assert.equal((await focused(page))?.navId, 'sample.notes')
    const link = '[data-nav-id="sample.notes"]'
    assert.equal(await styleOf(page, link, 'outlineStyle'), 'solid')
    assert.isAtLeast(Number.parseFloat(await styleOf(page, link, 'outlineWidth')), 2)
  })

  test('the user menu opens from the keyboard and Escape closes it, returning focus', async ({ visit, assert }) => {
    const t = await makeTenant()
    const page = await signIn(visit, t)
    const menu = page.getByTestId('user-menu')
    const trigger = page.locator('.user-button')
    await trigger.focus()
    assert.isFalse(await page.locator('#user-menu-list').isVisible())

    await page.keyboard.press('Enter')
    await page.locator('#user-menu-list').waitFor({ state: 'visible' })
    assert.isNotNull(await menu.getAttribute('open'))

    await page.keyboard.press('Tab')
    assert.equal((await focused(page))?.href, '/app/account')

    await page.keyboard.press('Escape')
    await page.locator('#user-menu-list').waitFor({ state: 'hidden' })
    assert.include((await focused(page))?.className, 'user-button')

    await page.keyboard.press('Space')
    await page.locator('#user-menu-list').waitFor({ state: 'visible' })
    await page.keyboard.press('Escape')
    await page.locator('#user-menu-list').waitFor({ state: 'hidden' })
  })
})
