import { test } from '@japa/runner'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import app from '@adonisjs/core/services/app'
import ace from '@adonisjs/core/services/ace'
import { cliui } from '@adonisjs/core/ace'
import Tenant from '#models/tenant'
import User from '#models/user'
import AuditLog from '#models/audit_log'
import { makeTenant, PASSWORD, uniqueSlug } from '#tests/helpers/tenants'

async function run(argv: string[]) {
  const ui = cliui({ mode: 'raw' })
  const result = await ace.exec('tenant:create', argv, { ui })
  const lines = ui.logger
    .getRenderer()
    .getLogs()
    .map((log) => log.message)
  return { exitCode: result.exitCode, lines, output: lines.join('\n') }
}

/* The command as a script runs it: a child process on the test database (env is inherited) */
async function spawnAce(argv: string[]) {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['ace', 'tenant:create', ...argv], {
      cwd: app.makePath(),
      env: { ...process.env, FORCE_COLOR: '0' },
    })
    return { exitCode: 0, stdout, stderr }
  } catch (error: any) {
    return { exitCode: error.code as number, stdout: error.stdout as string, stderr: error.stderr as string }
  }
}

test.group('CLI: tenant:create', () => {
  test('creates the tenant and its owner and prints the id on the last line', async ({ assert, client }) => {
    const slug = uniqueSlug('cli')
    const { exitCode, lines, output } = await run([
      slug,
      '--name',
      'Command Line Co',
      '--owner-email',
      `Boss@${slug}.test`,
      '--owner-password',
      PASSWORD,
      '--owner-name',
      'The Boss',
      '--locale',
      'de',
    ])
    assert.equal(exitCode, 0, output)
    const tenant = await Tenant.findByOrFail('slug', slug)
    assert.equal(lines[lines.length - 1], String(tenant.id))
    assert.equal(tenant.name, 'Command Line Co')
    assert.equal(tenant.locale, 'de')
    const owner = await User.forTenant(tenant.id).where('email', `boss@${slug}.test`).firstOrFail()
    assert.equal(owner.fullName, 'The Boss')
    assert.equal(owner.status, 'active')
    const audit = await AuditLog.forTenant(tenant.id).where('action', 'platform.tenant_created').firstOrFail()
    assert.equal(audit.actorType, 'cli')

    const login = await client
      .post('/login')
      .header('host', `${slug}.localhost`)
      .form({ email: `boss@${slug}.test`, password: PASSWORD })
      .withCsrfToken()
      .redirects(0)
    login.assertHeader('location', '/app')
  })

  test('invalid input lists each problem by flag and exits with code 1', async ({ assert }) => {
    const before = await Tenant.query().count('* as total')
    const { exitCode, output } = await run(['Not A Slug!', '--name', 'X', '--owner-email', 'nope', '--owner-password', 'short'])
    assert.equal(exitCode, 1)
    assert.include(output, 'The tenant was not created:')
    assert.match(output, /slug: Slug has an invalid format\./)
    assert.match(output, /--owner-email: Enter a valid email address\./)
    assert.match(output, /--owner-password: Owner password needs at least 12 characters\./)
    const after = await Tenant.query().count('* as total')
    assert.equal(after[0].$extras.total, before[0].$extras.total)
  })

  test('a taken or reserved slug is refused with code 1', async ({ assert }) => {
    const t = await makeTenant()
    const taken = await run([t.tenant.slug, '--name', 'Dup', '--owner-email', 'a@b.test', '--owner-password', PASSWORD])
    assert.equal(taken.exitCode, 1)
    assert.match(taken.output, /slug: This Slug is already taken\./)
    const reserved = await run(['platform', '--name', 'Res', '--owner-email', 'a@b.test', '--owner-password', PASSWORD])
    assert.equal(reserved.exitCode, 1)
    assert.match(reserved.output, /slug: This Slug is reserved; choose another\./)
  })

  test('without a password and no terminal it refuses with code 1', async ({ assert }) => {
    /* As under cron or CI, whatever terminal the tests themselves run in */
    const stdin = process.stdin as { isTTY?: boolean }
    const wasTty = stdin.isTTY
    stdin.isTTY = false
    const { exitCode, output } = await run([uniqueSlug('cli'), '--name', 'No Pass', '--owner-email', 'a@b.test']).finally(
      () => (stdin.isTTY = wasTty)
    )
    assert.equal(exitCode, 1)
    assert.match(output, /--owner-password: Owner password is required\./)
  })

  test('as a process: the last line of stdout is the id; a missing flag exits with 1', async ({ assert }) => {
    const slug = uniqueSlug('proc')
    const ok = await spawnAce([slug, '--name', 'Process Co', '--owner-email', `o@${slug}.test`, '--owner-password', PASSWORD])
    assert.equal(ok.exitCode, 0, ok.stderr)
    const tenant = await Tenant.findByOrFail('slug', slug)
    assert.equal(ok.stdout.trim().split('\n').pop(), String(tenant.id))

    const missing = await spawnAce([uniqueSlug('proc'), '--owner-email', 'a@b.test', '--owner-password', PASSWORD])
    assert.equal(missing.exitCode, 1)
    assert.include(missing.stdout + missing.stderr, 'Missing required option "name"')
  }).timeout(60000)
})
