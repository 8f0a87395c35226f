import { test } from '@japa/runner'
import ace from '@adonisjs/core/services/ace'
import { cliui } from '@adonisjs/core/ace'
import plugins from '#kernel/plugin_service'
import AuditLog from '#models/audit_log'
import { makeTenant } from '#tests/helpers/tenants'
import { enablePlugin } from '#tests/helpers/plugins'

/** Runs an ace command with its output kept in memory */
async function run(command: string, argv: string[]) {
  const ui = cliui({ mode: 'raw' })
  const result = await ace.exec(command, argv, { ui })
  const output = ui.logger
    .getRenderer()
    .getLogs()
    .map((log) => log.message)
    .join('\n')
  return { exitCode: result.exitCode, output }
}

const auditOf = (tenantId: number, action: string) =>
  AuditLog.forTenant(tenantId).where('action', action).where('subject_id', 'sample').orderBy('id', 'asc')

test.group('CLI: plugin:list', () => {
  test('lists the installed plugins in load order with their versions and dependencies', async ({ assert }) => {
    const { exitCode, output } = await run('plugin:list', [])
    assert.equal(exitCode, 0)
    const lines = output.split('\n')
    const sample = lines.findIndex((l) => /\bsample\b.*Sample notes.*1\.0\.0.*\^1\.0\.0/.test(l))
    const addon = lines.findIndex((l) => /\bsample_addon\b.*Sample add-on.*1\.2\.0.*\^1\.0\.0.*sample \^1\.0\.0/.test(l))
    assert.isAbove(sample, 0, output)
    assert.isAbove(addon, sample, output)
    for (const column of ['Id', 'Name', 'Version', 'Kernel', 'Depends on']) assert.include(lines[0], column)
    assert.notInclude(output, 'Enabled')
  })

  test('with --tenant it shows whether each plugin is enabled for that tenant', async ({ assert }) => {
    const t = await makeTenant()
    const { exitCode, output } = await run('plugin:list', ['--tenant', t.tenant.slug])
    assert.equal(exitCode, 0)
    assert.include(output, `Enabled (${t.tenant.slug})`)
    assert.match(output, /\bsample\b[^\n]*\byes\b/)
    assert.match(output, /\bsample_addon\b[^\n]*\bno\b/)
  })

  test('an unknown tenant is an error with exit code 1', async ({ assert }) => {
    const { exitCode, output } = await run('plugin:list', ['--tenant', 'no-such-tenant'])
    assert.equal(exitCode, 1)
    assert.include(output, 'Unknown tenant "no-such-tenant"')
  })
})

test.group('CLI: plugin:enable and plugin:disable', () => {
  test('disable then enable a plugin for one tenant, audited as the CLI', async ({ assert }) => {
    const t = await makeTenant()
    const other = await makeTenant()

    const off = await run('plugin:disable', ['sample', '--tenant', t.tenant.slug])
    assert.equal(off.exitCode, 0, off.output)
    assert.include(off.output, `Plugin "sample" disabled for tenant "${t.tenant.slug}"`)
    assert.isFalse((await plugins.enabledFor(t.tenant.id)).has('sample'))
    assert.isTrue((await plugins.enabledFor(other.tenant.id)).has('sample'))

    const on = await run('plugin:enable', ['sample', '--tenant', t.tenant.slug])
    assert.equal(on.exitCode, 0, on.output)
    assert.isTrue((await plugins.enabledFor(t.tenant.id)).has('sample'))

    const [disabled] = await auditOf(t.tenant.id, 'plugin.disabled')
    assert.equal(disabled.actorType, 'cli')
    assert.equal(disabled.subjectType, 'plugin')
    assert.deepEqual(disabled.before, { enabled: true })
    assert.deepEqual(disabled.after, { enabled: false })
    const [enabled] = await auditOf(t.tenant.id, 'plugin.enabled')
    assert.equal(enabled.actorType, 'cli')
    assert.deepEqual(enabled.after, { enabled: true })
    assert.lengthOf(await auditOf(other.tenant.id, 'plugin.disabled'), 0)
  })

  test('a plugin already in that state is left alone and not audited', async ({ assert }) => {
    const t = await makeTenant()
    const { exitCode, output } = await run('plugin:enable', ['sample', '--tenant', t.tenant.slug])
    assert.equal(exitCode, 0)
    assert.include(output, 'already enabled')
    assert.lengthOf(await auditOf(t.tenant.id, 'plugin.enabled'), 0)
  })

  test('an unknown plugin or tenant is an error with exit code 1', async ({ assert }) => {
    const t = await makeTenant()
    const plugin = await run('plugin:enable', ['nothing_here', '--tenant', t.tenant.slug])
    assert.equal(plugin.exitCode, 1)
    assert.match(plugin.output, /Unknown plugin "nothing_here" \(installed: [^)]*\bsample, sample_addon\b/)
    const tenant = await run('plugin:disable', ['sample', '--tenant', 'no-such-tenant'])
    assert.equal(tenant.exitCode, 1)
    assert.include(tenant.output, 'Unknown tenant "no-such-tenant"')
  })

  test('the tenant is required', async ({ assert }) => {
    await assert.rejects(() => run('plugin:enable', ['sample']), /Missing required option "tenant"/)
  })

  test('dependency problems are errors with exit code 1 and change nothing', async ({ assert }) => {
    const t = await makeTenant()
    await enablePlugin(t, 'sample_addon')
    const off = await run('plugin:disable', ['sample', '--tenant', t.tenant.slug])
    assert.equal(off.exitCode, 1)
    assert.include(off.output, 'is needed by "sample_addon"')
    assert.isTrue((await plugins.enabledFor(t.tenant.id)).has('sample'))

    const u = await makeTenant()
    await run('plugin:disable', ['sample', '--tenant', u.tenant.slug])
    const on = await run('plugin:enable', ['sample_addon', '--tenant', u.tenant.slug])
    assert.equal(on.exitCode, 1)
    assert.include(on.output, 'needs "sample" enabled first')
    assert.isFalse((await plugins.enabledFor(u.tenant.id)).has('sample_addon'))
    assert.lengthOf(await AuditLog.forTenant(u.tenant.id).where('subject_id', 'sample_addon'), 0)
  })
})
