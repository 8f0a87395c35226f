import { test } from '@japa/runner'
import { randomBytes } from 'node:crypto'
import { rm } from 'node:fs/promises'
import PlatformAdmin from '#models/platform_admin'
import Backup from '#models/backup'
import jobs from '#services/jobs'
import { backupDisk } from '#services/backup_service'
import { makeTenant, PASSWORD } from '#tests/helpers/tenants'
import { assertAccessible, frontEndReady, overflowsX, screenshot } from '#tests/helpers/browser'

const platformUrl = (path: string) => `http://localhost:${process.env.PORT}${path}`

test.group('Browser: platform backups', (group) => {
  group.teardown(() => rm(backupDisk().location!, { recursive: true, force: true }))

  test('an operator backs up now and watches the row turn to succeeded without reloading', async ({ visit, assert }) => {
    await makeTenant()
    const admin = await PlatformAdmin.create({ email: `ops-${randomBytes(4).toString('hex')}@platform.test`, password: PASSWORD, fullName: 'Ops' })
    const page = await visit(platformUrl('/platform/login'))
    await page.locator('#email').fill(admin.email)
    await page.locator('#password').fill(PASSWORD)
    await page.locator('form[action="/platform/login"] button[type="submit"]').click()
    await page.waitForURL((url) => url.pathname === '/platform')
    await page.getByRole('link', { name: 'Backups' }).click()
    await page.waitForURL((url) => url.pathname === '/platform/backups')
    await frontEndReady(page)

    await page.getByRole('button', { name: 'Back up now' }).click()
    await page.getByText(/Backup #\d+ is queued/).waitFor()
    const backup = await Backup.query().orderBy('id', 'desc').firstOrFail()
    const row = page.locator(`tr[data-backup-id="${backup.id}"]`)
    assert.match((await row.getAttribute('data-status'))!, /queued|running/)
    await screenshot(page, 'platform-backups-queued')

    await jobs.drain({ timeoutMs: 20000 })
    await page.locator(`tr[data-backup-id="${backup.id}"][data-status="succeeded"]`).waitFor({ timeout: 10000 })
    await row.getByRole('link', { name: `Download #${backup.id}` }).waitFor()
    await assertAccessible(page, assert, 'platform backups page')
    await screenshot(page, 'platform-backups')

    await page.setViewportSize({ width: 360, height: 740 })
    await screenshot(page, 'platform-backups-360')
    assert.isFalse(await overflowsX(page), 'no sideways scrolling at 360 px')
  }).timeout(60000)
})
