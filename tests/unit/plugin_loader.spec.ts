import { test } from '@japa/runner'
import type { PluginContext, PluginManifest } from '#kernel/plugin_manifest'
import { HookRegistry } from '#kernel/hook_registry'
import {
  KERNEL_VERSION,
  PluginLoadError,
  PluginLoader,
  loadRoutes,
  orderPlugins,
  type PluginSource,
} from '#kernel/plugin_loader'

function manifest(id: string, extra: Partial<PluginManifest> = {}): PluginManifest {
  return { id, name: id, version: '1.0.0', kernel: '^1.0.0', ...extra }
}

const order = (manifests: PluginManifest[]) => orderPlugins(manifests).map((m) => m.id)

function loadError(fn: () => unknown): PluginLoadError {
  try {
    fn()
  } catch (error) {
    if (error instanceof PluginLoadError) return error
    throw error
  }
  throw new Error('expected a PluginLoadError')
}

async function rejection(fn: () => Promise<unknown>): Promise<Error> {
  try {
    await fn()
  } catch (error) {
    return error as Error
  }
  throw new Error('expected a rejection')
}

function source(m: PluginManifest): PluginSource {
  return { id: m.id, root: `/plugins/${m.id}/`, load: async () => ({ default: m }) }
}

function loader() {
  const hooks = new HookRegistry()
  return new PluginLoader((m, root): PluginContext => ({ app: undefined as any, hooks, root, manifest: m }))
}

test.group('Plugin loader: order', () => {
  test('independent plugins keep the configured order', ({ assert }) => {
    assert.deepEqual(order([manifest('c'), manifest('a'), manifest('b')]), ['c', 'a', 'b'])
  })

  test('a plugin loads after the plugins it depends on', ({ assert }) => {
    const list = [
      manifest('reports', { dependsOn: { invoicing: '^1.0.0', crm: '^1.0.0' } }),
      manifest('invoicing', { dependsOn: { crm: '^1.0.0' } }),
      manifest('crm'),
      manifest('portal'),
    ]
    assert.deepEqual(order(list), ['crm', 'invoicing', 'reports', 'portal'])
  })

  test('the order does not depend on where dependencies appear in the config', ({ assert }) => {
    const addon = manifest('addon', { dependsOn: { base: '^1.0.0' } })
    const base = manifest('base')
    assert.deepEqual(order([addon, base]), ['base', 'addon'])
    assert.deepEqual(order([base, addon]), ['base', 'addon'])
  })
})

test.group('Plugin loader: validation', () => {
  test('a missing dependency names the plugin and the dependency', ({ assert }) => {
    const error = loadError(() => order([manifest('addon', { dependsOn: { base: '^1.0.0' } })]))
    assert.equal(error.pluginId, 'addon')
    assert.equal(error.code, 'E_PLUGIN_LOAD')
    assert.equal(error.message, 'Plugin "addon": depends on "base", which is not installed')
  })

  test('a dependency installed in a version outside the range is refused', ({ assert }) => {
    const error = loadError(() =>
      order([manifest('base', { version: '2.1.0' }), manifest('addon', { dependsOn: { base: '^1.2.0' } })])
    )
    assert.equal(error.pluginId, 'addon')
    assert.include(error.message, '"base" ^1.2.0 but 2.1.0 is installed')
  })

  test('a plugin for another kernel version is refused', ({ assert }) => {
    const error = loadError(() => order([manifest('old', { kernel: '^0.9.0' })]))
    assert.equal(error.pluginId, 'old')
    assert.include(error.message, `needs kernel ^0.9.0 but this kernel is ${KERNEL_VERSION}`)
    assert.deepEqual(orderPlugins([manifest('future', { kernel: '>=2.0.0' })], '2.3.0').map((m) => m.id), [
      'future',
    ])
  })

  test('a kernel range that is not semver is refused', ({ assert }) => {
    const error = loadError(() => order([manifest('odd', { kernel: 'latest please' })]))
    assert.include(error.message, 'is not a semver range')
  })

  test('a dependency cycle is refused and shown', ({ assert }) => {
    const error = loadError(() =>
      order([
        manifest('a', { dependsOn: { b: '*' } }),
        manifest('b', { dependsOn: { c: '*' } }),
        manifest('c', { dependsOn: { a: '*' } }),
      ])
    )
    assert.equal(error.message, 'Plugin "a": dependency cycle: a -> b -> c -> a')
  })

  test('a plugin depending on itself is a cycle', ({ assert }) => {
    const error = loadError(() => order([manifest('self', { dependsOn: { self: '*' } })]))
    assert.include(error.message, 'dependency cycle: self -> self')
  })

  test('the same id installed twice is refused', ({ assert }) => {
    const error = loadError(() => order([manifest('twin'), manifest('other'), manifest('twin')]))
    assert.equal(error.pluginId, 'twin')
    assert.include(error.message, 'installed twice')
  })
})

test.group('Plugin loader: lifecycle', () => {
  test('register runs for every plugin before any boot, in dependency order', async ({ assert }) => {
    const calls: string[] = []
    const track = (id: string, extra: Partial<PluginManifest> = {}) =>
      manifest(id, {
        ...extra,
        register: () => void calls.push(`register ${id}`),
        boot: async () => {
          await new Promise((resolve) => setTimeout(resolve, 1))
          calls.push(`boot ${id}`)
        },
        shutdown: () => void calls.push(`shutdown ${id}`),
      })
    const l = loader()
    await l.load([source(track('addon', { dependsOn: { base: '^1.0.0' } })), source(track('base'))])
    assert.deepEqual(l.ids(), ['base', 'addon'])
    assert.isFalse(l.booted)
    await l.registerAndBoot()
    assert.isTrue(l.booted)
    await l.shutdown()
    assert.deepEqual(calls, [
      'register base',
      'register addon',
      'boot base',
      'boot addon',
      'shutdown addon',
      'shutdown base',
    ])
  })

  test('each plugin gets its own context with its root and manifest', async ({ assert }) => {
    const l = loader()
    await l.load([source(manifest('one')), source(manifest('two'))])
    assert.equal(l.get('two')!.ctx.root, '/plugins/two/')
    assert.equal(l.get('two')!.ctx.manifest.id, 'two')
    assert.isUndefined(l.get('three'))
  })

  test('an error in boot stops start-up and names the plugin', async ({ assert }) => {
    const l = loader()
    const after: string[] = []
    await l.load([
      source(
        manifest('fragile', {
          boot: () => {
            throw new Error('cannot reach the tax table')
          },
        })
      ),
      source(manifest('later', { boot: () => void after.push('later') })),
    ])
    const error = await l.registerAndBoot().catch((e) => e)
    assert.instanceOf(error, PluginLoadError)
    assert.equal(error.pluginId, 'fragile')
    assert.equal(error.message, 'Plugin "fragile": boot failed: cannot reach the tax table')
    assert.deepEqual(after, [])
    assert.isFalse(l.booted)
  })

  test('an error in register names the plugin too', async ({ assert }) => {
    const l = loader()
    await l.load([
      source(
        manifest('early', {
          register: async () => {
            throw new Error('bad declaration')
          },
        })
      ),
    ])
    const error = await rejection(() => l.registerAndBoot())
    assert.equal(error.message, 'Plugin "early": register failed: bad declaration')
  })

  test('a plugin that cannot be imported is named', async ({ assert }) => {
    const l = loader()
    const broken: PluginSource = {
      id: 'broken',
      root: '/plugins/broken/',
      load: () => Promise.reject(new Error('Cannot find module')),
    }
    const error = await rejection(() => l.load([broken]))
    assert.equal(error.message, 'Plugin "broken": cannot be imported: Cannot find module')
  })

  test('a manifest whose id differs from its config entry is refused', async ({ assert }) => {
    const l = loader()
    const error = await rejection(() => l.load([{ ...source(manifest('actual')), id: 'configured' }]))
    assert.equal(error.message, 'Plugin "configured": manifest declares id "actual"')
  })

  test('loading validates the order before anything boots', async ({ assert }) => {
    const l = loader()
    const error = await rejection(() => l.load([source(manifest('needy', { dependsOn: { missing: '^1.0.0' } }))]))
    assert.equal(error.message, 'Plugin "needy": depends on "missing", which is not installed')
    assert.deepEqual(l.ids(), [])
  })
})

test.group('Plugin loader: route files', () => {
  test('a route file that cannot be imported names the plugin', async ({ assert }) => {
    const failing = () => Promise.reject(new Error('Unexpected token'))
    const error = await rejection(() => loadRoutes('billing', 'routes', failing))
    assert.instanceOf(error, PluginLoadError)
    assert.equal(error.message, 'Plugin "billing": routes cannot be imported: Unexpected token')
  })

  test('a route file that throws while registering names the plugin', async ({ assert }) => {
    const register = await loadRoutes('billing', 'api', async () => ({
      default: () => {
        throw new Error('duplicate route')
      },
    }))
    const l = loader()
    await l.load([source(manifest('billing'))])
    assert.throws(() => register(l.get('billing')!.ctx), 'Plugin "billing": api failed: duplicate route')
  })

  test('a working route file gets the plugin context', async ({ assert }) => {
    const seen: string[] = []
    const register = await loadRoutes('billing', 'routes', async () => ({
      default: (ctx) => void seen.push(ctx.manifest.id),
    }))
    const l = loader()
    await l.load([source(manifest('billing'))])
    register(l.get('billing')!.ctx)
    assert.deepEqual(seen, ['billing'])
  })
})
