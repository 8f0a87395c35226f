import { test } from '@japa/runner'
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { cp, mkdir, readdir, readFile, rm } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { pathToFileURL } from 'node:url'
import app from '@adonisjs/core/services/app'
import ace from '@adonisjs/core/services/ace'
import { cliui } from '@adonisjs/core/ace'
import { definePlugin, type PluginManifest } from '#kernel/plugin_manifest'
import { orderPlugins } from '#kernel/plugin_loader'
import { HookRegistry } from '#kernel/hook_registry'

const MARKER = '// make:plugin inserts here'

/** A throwaway application root holding a copy of the real config/plugins.ts */
async function scratchRoot() {
  const root = app.makePath('tmp', `scaffold-${randomBytes(4).toString('hex')}`)
  await mkdir(join(root, 'config'), { recursive: true })
  await cp(app.makePath('config/plugins.ts'), join(root, 'config/plugins.ts'))
  return root
}

async function makePlugin(root: string, name: string, ...extra: string[]) {
  const ui = cliui({ mode: 'raw' })
  const result = await ace.exec('make:plugin', [name, `--root=${root}`, ...extra], { ui })
  const output = ui.logger
    .getRenderer()
    .getLogs()
    .map((log) => log.message)
    .join('\n')
  return { exitCode: result.exitCode, output }
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true })
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort()
}

function jsonKeys(obj: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(obj).flatMap(([k, v]) =>
    v && typeof v === 'object' ? jsonKeys(v as Record<string, unknown>, `${prefix}${k}.`) : [`${prefix}${k}`]
  )
}

test.group('make:plugin', (group) => {
  const roots: string[] = []
  group.each.setup(() => async () => {
    for (const root of roots.splice(0)) await rm(root, { recursive: true, force: true })
  })
  const root = async () => {
    const dir = await scratchRoot()
    roots.push(dir)
    return dir
  }

  test('scaffolds the plugin folder with every part of a plugin', async ({ assert }) => {
    const dir = await root()
    const realConfig = await readFile(app.makePath('config/plugins.ts'), 'utf8')
    const { exitCode, output } = await makePlugin(dir, 'scaffold_probe')
    assert.equal(exitCode, 0, output)

    const folder = join(dir, 'plugins/scaffold_probe')
    const files = await filesUnder(folder)
    const migration = files.find((f) => f.startsWith('database/migrations/'))!
    assert.match(migration, /^database\/migrations\/\d{13}_create_scaffold_probe_items_table\.ts$/)
    assert.deepEqual(files, [
      'api.ts',
      'controllers/items_controller.ts',
      migration,
      'models/item.ts',
      'openapi.ts',
      'plugin.ts',
      'resources/lang/de/scaffold_probe.json',
      'resources/lang/en/scaffold_probe.json',
      'resources/views/pages/index.edge',
      'resources/views/partials/widget.edge',
      'routes.ts',
      'services/item_service.ts',
      'tests/functional/scaffold_probe.spec.ts',
    ])

    const read = (file: string) => readFile(join(folder, file), 'utf8')
    for (const file of files) assert.notInclude(await read(file), '%%', `${file} has an unreplaced token`)

    const schema = await read(migration)
    assert.include(schema, "tableName = 'scaffold_probe_items'")
    assert.include(schema, "table.integer('tenant_id').unsigned().notNullable().references('tenants.id')")
    assert.include(schema, "table.index(['tenant_id'])")
    assert.include(await read('models/item.ts'), 'compose(BaseModel, withTenantScope)')
    assert.include(await read('models/item.ts'), "static table = 'scaffold_probe_items'")
    assert.include(await read('routes.ts'), "middleware.can(['scaffold_probe.items.view'])")
    assert.include(await read('api.ts'), "'/scaffold-probe/items'")
    assert.include(await read('controllers/items_controller.ts'), "'scaffold_probe::pages/index'")
    assert.include(await read('resources/views/pages/index.edge'), "@component('layouts/app'")
    assert.include(await read('resources/views/pages/index.edge'), 'id="scaffold-probe-items-list"')
    assert.include(await read('resources/views/partials/widget.edge'), 'id="scaffold-probe-items-widget"')
    assert.include(await read('tests/functional/scaffold_probe.spec.ts'), "'/app/scaffold-probe'")

    const en = JSON.parse(await read('resources/lang/en/scaffold_probe.json'))
    const de = JSON.parse(await read('resources/lang/de/scaffold_probe.json'))
    assert.equal(en.title, 'Scaffold probe')
    assert.deepEqual(jsonKeys(de).sort(), jsonKeys(en).sort())

    const config = await readFile(join(dir, 'config/plugins.ts'), 'utf8')
    assert.include(config, `  localPlugin('scaffold_probe'),\n  ${MARKER}\n`)
    assert.equal(config.replace("  localPlugin('scaffold_probe'),\n", ''), realConfig)
    assert.equal(await readFile(app.makePath('config/plugins.ts'), 'utf8'), realConfig)
    assert.isFalse(existsSync(app.makePath('plugins/scaffold_probe')))
  })

  test('the generated manifest is valid and taps the nav and the dashboard', async ({ assert }) => {
    const dir = await root()
    assert.equal((await makePlugin(dir, 'scaffold_probe')).exitCode, 0)
    const url = pathToFileURL(join(dir, 'plugins/scaffold_probe/plugin.ts')).href
    const manifest: PluginManifest = (await import(url)).default

    assert.strictEqual(definePlugin(manifest), manifest)
    assert.deepEqual(orderPlugins([manifest]).map((m) => m.id), ['scaffold_probe'])
    assert.equal(manifest.name, 'Scaffold probe')
    assert.deepEqual(manifest.permissions, {
      'scaffold_probe.items.view': {
        label: 'scaffold_probe.permissions.items_view',
        roles: ['admin', 'staff', 'viewer'],
      },
    })
    assert.isFunction(manifest.routes)
    assert.isFunction(manifest.api)
    const openapi = (await manifest.openapi!()).default
    assert.properties(openapi.paths!, ['/scaffold-probe/items'])

    const hooks = new HookRegistry()
    hooks.declare('nav.main', { failMode: 'closed' }).declare('dashboard.widgets', { failMode: 'closed' })
    await manifest.boot!({ app, hooks, root: join(dir, 'plugins/scaffold_probe/'), manifest })
    const nav = await hooks.applyFilters('nav.main', [])
    assert.deepInclude(nav, {
      id: 'scaffold_probe.items',
      label: 'scaffold_probe.nav',
      href: '/app/scaffold-probe',
      permission: 'scaffold_probe.items.view',
      order: 100,
    })
    const widgets = await hooks.applyFilters('dashboard.widgets', [])
    assert.equal(widgets[0].url, '/app/scaffold-probe/widget')
    assert.equal(widgets[0].permission, 'scaffold_probe.items.view')
  })

  test('other spellings of the name become a snake_case id', async ({ assert }) => {
    const dir = await root()
    assert.equal((await makePlugin(dir, 'ScaffoldProbeCase')).exitCode, 0)
    assert.isTrue(existsSync(join(dir, 'plugins/scaffold_probe_case/plugin.ts')))
    assert.include(await readFile(join(dir, 'config/plugins.ts'), 'utf8'), "localPlugin('scaffold_probe_case'),")
  })

  test('refuses a plugin whose folder exists or that is already registered', async ({ assert }) => {
    const dir = await root()
    assert.equal((await makePlugin(dir, 'scaffold_probe_two')).exitCode, 0)
    const configAfterFirst = await readFile(join(dir, 'config/plugins.ts'), 'utf8')

    const again = await makePlugin(dir, 'scaffold_probe_two')
    assert.equal(again.exitCode, 1)
    assert.include(again.output, 'plugins/scaffold_probe_two already exists')

    await rm(join(dir, 'plugins/scaffold_probe_two'), { recursive: true })
    const registered = await makePlugin(dir, 'scaffold_probe_two')
    assert.equal(registered.exitCode, 1)
    assert.include(registered.output, '"scaffold_probe_two" is already registered in config/plugins.ts')
    assert.isFalse(existsSync(join(dir, 'plugins/scaffold_probe_two')))
    assert.equal(await readFile(join(dir, 'config/plugins.ts'), 'utf8'), configAfterFirst)
  })

  test('refuses names that make no id, reserved ids, unknown flags and a config without the marker', async ({
    assert,
  }) => {
    const dir = await root()
    for (const [name, message] of [
      ['123', 'does not make a plugin id'],
      ['settings', 'is reserved by the kernel'],
      ['kernel', 'is reserved by the kernel'],
    ]) {
      const result = await makePlugin(dir, name)
      assert.equal(result.exitCode, 1, name)
      assert.include(result.output, message)
    }
    const flag = await makePlugin(dir, 'scaffold_probe_two', '--force')
    assert.equal(flag.exitCode, 1)
    assert.include(flag.output, 'Unknown flag "--force"')

    const config = join(dir, 'config/plugins.ts')
    await cp(app.makePath('package.json'), config)
    const noMarker = await makePlugin(dir, 'scaffold_probe_two')
    assert.equal(noMarker.exitCode, 1)
    assert.include(noMarker.output, `has no "${MARKER}" line`)
    assert.isFalse(existsSync(join(dir, 'plugins')))
  })
})
