/*
| The admin jobs page /app/settings/jobs: permission kernel.jobs.manage, tenant isolation (other
| tenants' jobs are invisible and answer 404), filters, retry and discard with and without HTMX.
*/
import { test } from '@japa/runner'
import jobs from '#services/jobs'
import { findJobRun } from '#jobs/job_store'
import { makeTenant, type TestTenant } from '#tests/helpers/tenants'
import { removeRedisQueues, uniqueJob, waitFor } from '#tests/helpers/jobs'

const failing = uniqueJob('kernel')
const harmless = uniqueJob('kernel')

/** A failed job and a queued (delayed) job for the tenant */
async function seed(t: TestTenant) {
  const failed = await jobs.dispatch(failing, { tenantId: t.tenant.id })
  const queued = await jobs.dispatch(harmless, { tenantId: t.tenant.id }, { delay: 3_600_000 })
  await jobs.drain()
  await waitFor(async () => (await findJobRun(t.tenant.id, failed))?.status === 'failed')
  return { failed, queued }
}

test.group('Jobs admin page', (group) => {
  group.setup(() => {
    jobs.define(failing, async () => {
      throw new Error('mailbox unavailable')
    }, { attempts: 1 })
    jobs.define(harmless, async () => {})
    return () => removeRedisQueues()
  })

  test('an admin sees this tenant’s jobs only, with status, attempts and last error', async ({ client, assert }) => {
    const t = await makeTenant()
    const other = await makeTenant()
    const mine = await seed(t)
    const theirs = await seed(other)
    const response = await client.get('/app/settings/jobs').header('host', t.host).loginAs(await t.user('admin'))
    response.assertStatus(200)
    const html = response.text()
    assert.include(html, `data-job-id="${mine.failed}"`)
    assert.include(html, `data-job-id="${mine.queued}"`)
    assert.notInclude(html, theirs.failed)
    assert.notInclude(html, theirs.queued)
    assert.include(html, 'mailbox unavailable')
    assert.include(html, 'id="kernel-jobs-table"')
    assert.include(html, 'data-section-id="kernel.jobs"')
  })

  test('filters narrow the list; a bad filter shows an error, not a 500', async ({ client, assert }) => {
    const t = await makeTenant()
    const { failed, queued } = await seed(t)
    const admin = await t.user('admin')
    const onlyFailed = await client.get('/app/settings/jobs?status=failed').header('host', t.host).loginAs(admin)
    onlyFailed.assertStatus(200)
    assert.include(onlyFailed.text(), failed)
    assert.notInclude(onlyFailed.text(), `data-job-id="${queued}"`)

    const fragment = await client
      .get(`/app/settings/jobs?name=${encodeURIComponent(harmless)}`)
      .header('host', t.host)
      .header('hx-request', 'true')
      .loginAs(admin)
    fragment.assertStatus(200)
    assert.match(fragment.text().trim(), /^<div id="kernel-jobs-table"/)
    assert.include(fragment.text(), queued)
    assert.notInclude(fragment.text(), `data-job-id="${failed}"`)
    /* a queued job is shown: the fragment keeps itself fresh every 2 s */
    assert.include(fragment.text(), 'hx-trigger="every 2s"')
    assert.include(fragment.header('vary') ?? '', 'HX-Request')

    const bad = await client.get('/app/settings/jobs?status=exploded&page=-2').header('host', t.host).loginAs(admin)
    bad.assertStatus(200)
    assert.include(bad.text(), 'These filters are not valid')
  })

  test('retry re-queues a failed job (form post redirects back)', async ({ client, assert }) => {
    const t = await makeTenant()
    const { failed } = await seed(t)
    const response = await client
      .post(`/app/settings/jobs/${failed}/retry`)
      .form({ return: '/app/settings/jobs?status=failed' })
      .header('host', t.host)
      .loginAs(await t.user('admin'))
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(302)
    assert.equal(response.header('location'), '/app/settings/jobs?status=failed')
    const row = await findJobRun(t.tenant.id, failed)
    assert.equal(row!.status, 'queued')
    assert.equal(row!.attempts, 0)
  })

  test('discard with HTMX answers the table fragment and a toast', async ({ client, assert }) => {
    const t = await makeTenant()
    const { queued } = await seed(t)
    const response = await client
      .post(`/app/settings/jobs/${queued}/discard`)
      .form({ return: '/app/settings/jobs' })
      .header('host', t.host)
      .header('hx-request', 'true')
      .loginAs(await t.user('owner'))
      .withCsrfToken()
    response.assertStatus(200)
    assert.match(response.text().trim(), /^<div id="kernel-jobs-table"/)
    assert.include(response.text(), 'hx-swap-oob')
    assert.equal((await findJobRun(t.tenant.id, queued))!.status, 'discarded')

    const again = await client
      .post(`/app/settings/jobs/${queued}/discard`)
      .header('host', t.host)
      .header('hx-request', 'true')
      .loginAs(await t.user('owner'))
      .withCsrfToken()
    again.assertStatus(200)
    assert.include(again.text(), 'cannot be discarded')
  })

  test('another tenant’s job answers 404 on every route', async ({ client, assert }) => {
    const t = await makeTenant()
    const other = await makeTenant()
    const theirs = await seed(other)
    const admin = await t.user('admin')
    const show = await client.get(`/app/settings/jobs/${theirs.failed}`).header('host', t.host).loginAs(admin)
    show.assertStatus(404)
    for (const [action, id] of [['retry', theirs.failed], ['discard', theirs.queued]]) {
      const response = await client
        .post(`/app/settings/jobs/${id}/${action}`)
        .header('host', t.host)
        .loginAs(admin)
        .withCsrfToken()
        .redirects(0)
      response.assertStatus(404)
    }
    assert.equal((await findJobRun(other.tenant.id, theirs.failed))!.status, 'failed')
    assert.equal((await findJobRun(other.tenant.id, theirs.queued))!.status, 'queued')

    const own = await client.get(`/app/settings/jobs/${(await seed(t)).failed}`).header('host', t.host).loginAs(admin)
    own.assertStatus(200)
    assert.include(own.text(), 'mailbox unavailable')
  })

  const routes = [
    ['get', () => '/app/settings/jobs'],
    ['get', (id: string) => `/app/settings/jobs/${id}`],
    ['post', (id: string) => `/app/settings/jobs/${id}/retry`],
    ['post', (id: string) => `/app/settings/jobs/${id}/discard`],
  ] as const

  test('signed out goes to the sign-in page', async ({ client, assert }) => {
    const t = await makeTenant()
    const { failed } = await seed(t)
    for (const [method, url] of routes) {
      const response = await client[method](url(failed)).header('host', t.host).withCsrfToken().redirects(0)
      response.assertStatus(302)
      assert.equal(response.header('location'), `/login?next=${encodeURIComponent(url(failed))}`)
    }
  })

  test('roles without kernel.jobs.manage get 403; a session of another tenant is signed out', async ({ client, assert }) => {
    const t = await makeTenant()
    const other = await makeTenant()
    const { failed } = await seed(t)
    for (const role of ['accountant', 'staff', 'viewer'] as const) {
      const user = await t.user(role)
      for (const [method, url] of routes) {
        const response = await client[method](url(failed)).header('host', t.host).loginAs(user).withCsrfToken().redirects(0)
        response.assertStatus(403)
      }
    }
    for (const [method, url] of routes) {
      const response = await client[method](url(failed))
        .header('host', t.host)
        .loginAs(other.owner)
        .withCsrfToken()
        .redirects(0)
      response.assertStatus(302)
      assert.match(response.header('location') ?? '', /^\/login/)
    }
    assert.equal((await findJobRun(t.tenant.id, failed))!.status, 'failed')
  })
})
