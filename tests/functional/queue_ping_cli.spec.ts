import { test } from '@japa/runner'
import ace from '@adonisjs/core/services/ace'
import { cliui } from '@adonisjs/core/ace'
import db from '@adonisjs/lucid/services/db'
import jobs from '#services/jobs'
import { makeTenant } from '#tests/helpers/tenants'

async function ping(argv: string[]) {
  const ui = cliui({ mode: 'raw' })
  const result = await ace.exec('queue:ping', argv, { ui })
  const output = ui.logger
    .getRenderer()
    .getLogs()
    .map((log) => log.message)
    .join('\n')
  return { exitCode: result.exitCode, output }
}

test.group('CLI: queue:ping', () => {
  test('fails with a hint when no worker takes the job', async ({ assert }) => {
    const t = await makeTenant()
    const { exitCode, output } = await ping(['--tenant', t.tenant.slug, '--timeout', '1'])
    assert.equal(exitCode, 1)
    assert.include(output, 'is `node ace queue:work` running?')
    await jobs.drain()
  })

  test('succeeds once a worker has processed the ping job', async ({ assert }) => {
    const t = await makeTenant()
    const worker = await jobs.work()
    try {
      const { exitCode, output } = await ping(['--tenant', t.tenant.slug, '--timeout', '20'])
      assert.equal(exitCode, 0, output)
      assert.match(output, /a worker processed it in \d+ ms/)
      const row = await db.from('job_runs').where('tenant_id', t.tenant.id).where('name', 'kernel:ping').first()
      assert.equal(row.status, 'completed')
    } finally {
      await worker.stop()
    }
  })

  test('rejects an unknown tenant', async ({ assert }) => {
    const { exitCode, output } = await ping(['--tenant', 'no-such-tenant', '--timeout', '1'])
    assert.equal(exitCode, 1)
    assert.include(output, 'Unknown tenant "no-such-tenant"')
  })
})
