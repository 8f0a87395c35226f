/*
| A notification reaches an open page over Server-Sent Events: the bell's count and the list
| update without a reload, and a boosted navigation keeps the live connection.
*/
import { test } from '@japa/runner'
import type { Page } from 'playwright'
import { makeTenant } from '#tests/helpers/tenants'
import { assertAccessible, frontEndReady, isSameDocument, markDocument, screenshot, signIn } from '#tests/helpers/browser'
import { notify } from '#services/notification_service'

declare const window: any

function liveReady(page: Page) {
  return page.waitForFunction(() => window.cfNotifications?.connected === true)
}

test.group('Browser: live notifications', () => {
  test('a notification arrives over SSE without a reload', async ({ visit, assert }) => {
    const t = await makeTenant()
    const page = await signIn(visit, t, { path: '/app/notifications' })
    await liveReady(page)
    await markDocument(page)
    const count = page.locator('#kernel-notifications-bell .notification-count')
    assert.isTrue(await count.isHidden())

    await notify(
      { event: 'kernel.team_member_added', title: 'notifications.team_member_added_title', body: 'notifications.team_member_added_body', params: { email: 'live@example.com' }, url: '/app/settings/users' },
      { tenantId: t.tenant.id, users: [t.owner] }
    )

    await count.waitFor({ state: 'visible', timeout: 5000 })
    assert.equal(await count.textContent(), '1')
    assert.equal(await page.locator('#kernel-notifications-bell').getAttribute('aria-label'), 'Notifications: 1 unread')
    const item = page.locator('#kernel-notifications-list .notification-item').first()
    await item.waitFor()
    assert.equal(await item.locator('.notification-title').textContent(), 'New team member')
    assert.equal(await page.locator('#kernel-notifications-live').textContent(), 'New team member')
    assert.isTrue(await isSameDocument(page))
    await screenshot(page, 'notifications-live')
    await assertAccessible(page, assert, 'notification centre')

    /* after a boosted navigation the same connection still delivers */
    await page.locator('a[href="/app"]').first().click()
    await page.waitForURL((url) => url.pathname === '/app')
    await frontEndReady(page)
    assert.isTrue(await isSameDocument(page))
    await notify(
      { event: 'kernel.team_member_added', title: 'Second one' },
      { tenantId: t.tenant.id, users: [t.owner] }
    )
    await page.waitForFunction(() => document.querySelector('#kernel-notifications-bell .notification-count')?.textContent === '2')
  })

  test('marking all read clears the bell', async ({ visit, assert }) => {
    const t = await makeTenant()
    await notify({ event: 'kernel.team_member_added', title: 'Old news' }, { tenantId: t.tenant.id, users: [t.owner] })
    const page = await signIn(visit, t, { path: '/app/notifications' })
    const count = page.locator('#kernel-notifications-bell .notification-count')
    assert.equal(await count.textContent(), '1')
    await page.locator('#kernel-notifications-read-all').click()
    /* the bell may clear (over SSE) before the page answer lands: wait for both */
    await page.waitForFunction(() => document.querySelector('#kernel-notifications-bell .notification-count')?.hasAttribute('hidden'))
    await page.waitForFunction(() => document.querySelectorAll('#kernel-notifications-list .notification-item.unread').length === 0)
    assert.equal(await page.locator('#kernel-notifications-list .notification-item').count(), 1)
  })
})

declare const document: any
