import { test } from '@japa/runner'
import { randomBytes } from 'node:crypto'
import type { ApiClient, ApiRequest } from '@japa/api-client'
import PlatformAdmin from '#models/platform_admin'
import Backup from '#models/backup'
import db from '@adonisjs/lucid/services/db'
import jobs from '#services/jobs'
import { BACKUP_JOB, claimScheduledBackup } from '#jobs/backup_jobs'
import { makeTenant, PASSWORD } from '#tests/helpers/tenants'
import { waitFor } from '#tests/helpers/jobs'
import { rm } from 'node:fs/promises'
import { backupDisk } from '#services/backup_service'
import { DateTime } from 'luxon'

const PLATFORM = 'localhost'

async function makeAdmin() {
  return PlatformAdmin.create({ email: `ops-${randomBytes(4).toString('hex')}@platform.test`, password: PASSWORD, fullName: 'Ops' })
}

function asAdmin(client: ApiClient, admin: PlatformAdmin, method: 'get' | 'post', url: string): ApiRequest {
  return client[method](url).header('host', PLATFORM).withGuard('platform').loginAs(admin).redirects(0)
}

async function settle() {
  await jobs.drain({ timeoutMs: 20000 })
  await waitFor(async () => !(await Backup.query().whereIn('status', ['queued', 'running']).first()), 20000, 'backups to finish')
}

test.group('Backups: platform page', (group) => {
  group.teardown(() => rm(backupDisk().location!, { recursive: true, force: true }))

  test('only operators on the platform host reach the backups pages', async ({ client }) => {
    const t = await makeTenant()
    const admin = await makeAdmin()
    for (const url of ['/platform/backups', '/platform/backups/1/download']) {
      const signedOut = await client.get(url).header('host', PLATFORM).redirects(0)
      signedOut.assertStatus(302)
      signedOut.assertHeader('location', '/platform/login')
      const tenantOwner = await client.get(url).header('host', PLATFORM).loginAs(t.owner).redirects(0)
      tenantOwner.assertStatus(302)
      tenantOwner.assertHeader('location', '/platform/login')
      ;(await client.get(url).header('host', t.host).loginAs(t.owner)).assertStatus(404)
      ;(await client.get(url).header('host', t.host).withGuard('platform').loginAs(admin)).assertStatus(404)
    }
    const post = await client.post('/platform/backups').header('host', PLATFORM).loginAs(t.owner).withCsrfToken().redirects(0)
    post.assertHeader('location', '/platform/login')
    ;(await client.post('/platform/backups').header('host', t.host).loginAs(t.owner).withCsrfToken()).assertStatus(404)
  })

  test('"back up now" runs a backup as a job; the list shows it and the archive downloads', async ({ client, assert }) => {
    await makeTenant()
    const admin = await makeAdmin()
    await settle()
    const before = await Backup.query().count('* as total').first()

    const queued = await asAdmin(client, admin, 'post', '/platform/backups').withCsrfToken()
    queued.assertStatus(302)
    queued.assertHeader('location', '/platform/backups')
    const backup = await Backup.query().orderBy('id', 'desc').firstOrFail()
    assert.equal(backup.trigger, 'manual')
    assert.equal(backup.requestedBy, admin.id)
    assert.equal(Number((await Backup.query().count('* as total').first())!.$extras.total), Number(before!.$extras.total) + 1)

    const pending = await asAdmin(client, admin, 'get', '/platform/backups')
    pending.assertStatus(200)
    assert.match(pending.text(), new RegExp(`data-backup-id="${backup.id}" data-status="(queued|running)"`))
    assert.include(pending.text(), 'hx-trigger="every 2s"')

    const twice = await asAdmin(client, admin, 'post', '/platform/backups').withCsrfToken()
    twice.assertHeader('location', '/platform/backups')
    assert.equal((await Backup.query().orderBy('id', 'desc').firstOrFail()).id, backup.id, 'a second click while one runs queues nothing')

    await settle()
    await backup.refresh()
    assert.equal(backup.status, 'succeeded')
    assert.isAbove(backup.tenantCount!, 0)

    const fragment = await asAdmin(client, admin, 'get', '/platform/backups').header('HX-Request', 'true')
    fragment.assertStatus(200)
    assert.include(fragment.text(), `data-backup-id="${backup.id}" data-status="succeeded"`)
    assert.notInclude(fragment.text(), 'every 2s')
    assert.notInclude(fragment.text(), '<html')
    assert.include(fragment.text(), `/platform/backups/${backup.id}/download`)

    const download = await asAdmin(client, admin, 'get', `/platform/backups/${backup.id}/download`)
    download.assertStatus(200)
    download.assertHeader('content-type', 'application/octet-stream')
    assert.match(download.header('content-disposition') ?? '', /^attachment; filename="coderon-.*\.cfbackup"$/)
    assert.equal(Number(download.header('content-length')), backup.sizeBytes)

    const audited = await db.from('audit_logs').where('action', 'platform.backup_requested').where('subject_id', String(backup.id)).first()
    assert.exists(audited)
    assert.equal(audited.actor_type, 'platform')
    assert.equal(audited.actor_id, admin.id)
    ;(await asAdmin(client, admin, 'get', '/platform/backups/999999/download')).assertStatus(404)
  }).timeout(40000)

  test('the page lists failures with their reason', async ({ client, assert }) => {
    const admin = await makeAdmin()
    const failed = await Backup.create({ status: 'failed', trigger: 'schedule', error: 'pg_dump was not found on PATH', durationMs: 12 })
    const page = await asAdmin(client, admin, 'get', '/platform/backups')
    page.assertStatus(200)
    assert.include(page.text(), `data-backup-id="${failed.id}" data-status="failed"`)
    assert.include(page.text(), 'pg_dump was not found on PATH')
    ;(await asAdmin(client, admin, 'get', `/platform/backups/${failed.id}/download`)).assertStatus(404)
    const german = await asAdmin(client, admin, 'get', '/platform/backups').header('accept-language', 'de')
    assert.include(german.text(), 'Jetzt sichern')
  })

  test('a backup whose process died is marked failed and no longer blocks "back up now"', async ({ client, assert }) => {
    await makeTenant()
    const admin = await makeAdmin()
    await settle()
    const dead = await Backup.create({ status: 'running', trigger: 'cli', startedAt: DateTime.utc().minus({ hours: 1 }) })
    const connection = db.connection()
    const silent = DateTime.utc().minus({ minutes: 11 })
    const stamp = connection.dialect.name === 'postgres' ? silent.toJSDate() : silent.toFormat(connection.dialect.dateTimeFormat)
    await connection.from('backups').where('id', dead.id).update({ updated_at: stamp })
    const alive = await Backup.create({ status: 'queued', trigger: 'manual' })
    const page = await asAdmin(client, admin, 'get', '/platform/backups')
    assert.include(page.text(), 'Interrupted: the process making it stopped')
    await dead.refresh()
    assert.equal(dead.status, 'failed')
    await alive.refresh()
    assert.equal(alive.status, 'queued', 'a fresh queued backup is left alone')
    await alive.delete()
  })

  test('a schedule tick makes one backup however many tenants it was dispatched for', async ({ assert }) => {
    const a = await makeTenant()
    const b = await makeTenant()
    await settle()
    const schedule = '*/5 * * * *'
    const now = Date.now()
    const first = await claimScheduledBackup(schedule, now)
    assert.exists(first)
    assert.isNull(await claimScheduledBackup(schedule, now), 'the same tick is claimed once')
    await first!.delete()

    const count = async () => Number((await Backup.query().where('trigger', 'schedule').count('* as total').first())!.$extras.total)
    const start = await count()
    for (const tenantId of [a.tenant.id, b.tenant.id]) await jobs.dispatch(BACKUP_JOB, { tenantId })
    await settle()
    assert.equal(await count(), start + 1)
    const made = await Backup.query().where('trigger', 'schedule').orderBy('id', 'desc').firstOrFail()
    assert.equal(made.status, 'succeeded')
  }).timeout(40000)
})
