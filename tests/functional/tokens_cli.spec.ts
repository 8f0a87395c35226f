import { test } from '@japa/runner'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import app from '@adonisjs/core/services/app'
import ace from '@adonisjs/core/services/ace'
import User from '#models/user'
import AuditLog from '#models/audit_log'
import { makeTenant } from '#tests/helpers/tenants'

const run = promisify(execFile)

/** `node ace token:create …` in a child process on the test database: exit code and output */
async function cli(args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['ace', 'token:create', '--no-ansi', ...args], {
      cwd: app.makePath(),
      env: { ...process.env },
      timeout: 60_000,
    })
    return { code: 0, stdout, stderr }
  } catch (error: any) {
    return { code: error.code as number, stdout: String(error.stdout), stderr: String(error.stderr) }
  }
}

test.group('CLI token:create', () => {
  test('prints the token on its last line; the token works on the API', async ({ client, assert }) => {
    const t = await makeTenant()
    const staff = await t.user('staff')
    const result = await cli([
      '--tenant',
      t.tenant.slug,
      '--email',
      staff.email.toUpperCase(),
      '--name',
      'Nightly sync',
      '--scopes',
      'kernel.users.view, sample.*',
    ])
    assert.equal(result.code, 0, result.stderr + result.stdout)
    const lines = result.stdout.trimEnd().split('\n')
    const value = lines[lines.length - 1]
    assert.match(value, /^cf_[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/)
    assert.isTrue(result.stdout.endsWith(`${value}\n`), 'nothing after the token')

    const me = await client.get('/api/v1/me').header('host', t.host).bearerToken(value)
    me.assertStatus(200)
    assert.equal(me.body().data.user.id, staff.id)
    assert.deepEqual(me.body().data.token.scopes, ['kernel.users.view', 'sample.*'])
    assert.equal(me.body().data.token.name, 'Nightly sync')
    const log = await AuditLog.forTenant(t.tenant.id).where('action', 'token.created').firstOrFail()
    assert.equal(log.actorType, 'cli')
  }).timeout(90_000)

  test('an unknown tenant, user or scope, or a scope beyond the role, fail with exit code 1', async ({ assert }) => {
    const t = await makeTenant()
    const viewer = await t.user('viewer')
    const cases: Array<[string[], string]> = [
      [['--tenant', 'no-such-tenant', '--email', viewer.email, '--scopes', '*'], 'Unknown tenant "no-such-tenant"'],
      [['--tenant', t.tenant.slug, '--email', 'ghost@nowhere.test', '--scopes', '*'], `No user with email "ghost@nowhere.test" in tenant "${t.tenant.slug}"`],
      [['--tenant', t.tenant.slug, '--email', viewer.email, '--scopes', 'kernel.dashboard.view,kernel.nope.view'], 'Unknown scope "kernel.nope.view"'],
      [['--tenant', t.tenant.slug, '--email', viewer.email, '--scopes', 'kernel.users.view'], `${viewer.email} does not hold scope "kernel.users.view"`],
      [['--tenant', t.tenant.slug, '--email', viewer.email, '--scopes', ' , '], 'A token needs at least one scope'],
    ]
    ace.ui.switchMode('raw')
    try {
      for (const [args, message] of cases) {
        const command = await ace.exec('token:create', ['--name', 'x', ...args])
        assert.equal(command.exitCode, 1, message)
        const logs = ace.ui.logger.getLogs().map((l) => l.message)
        ace.ui.logger.flushLogs()
        assert.isTrue(logs.some((line) => line.includes(message)), `${message} in ${logs.join(' | ')}`)
        assert.isFalse(logs.some((line) => line.includes('cf_')))
      }
    } finally {
      ace.ui.switchMode('normal')
    }
    assert.lengthOf(await User.accessTokens.all(viewer), 0)
  })

  test('is listed by `node ace list`', async ({ assert }) => {
    const { stdout } = await run(process.execPath, ['ace', 'list', '--no-ansi'], { cwd: app.makePath(), env: { ...process.env } })
    assert.match(stdout, /token:create\s+Create a personal access token/)
  }).timeout(60_000)
})
