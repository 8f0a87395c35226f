import { test } from '@japa/runner'
import {
  HookRegistry,
  HookTapError,
  HookTimeoutError,
  UndeclaredHookError,
  type HookMeta,
  type HookRegistryOptions,
} from '#kernel/hook_registry'
import type { NavItem } from '#kernel/hooks'
import { NotFoundError } from '#exceptions/domain_errors'

/** A registry of its own per test, with the logger calls kept for assertions */
function registry(options: HookRegistryOptions = {}) {
  const warnings: Array<{ obj: any; msg?: string }> = []
  const hooks = new HookRegistry({
    logger: { warn: (obj, msg) => warnings.push({ obj, msg }), error: (obj, msg) => warnings.push({ obj, msg }) },
    ...options,
  })
  hooks
    .declare('nav.main', { failMode: 'open', timeoutMs: 50 })
    .declare('dashboard.widgets', { failMode: 'closed', timeoutMs: 50 })
    .declare('audit.recorded', { failMode: 'open', timeoutMs: 50 })
    .declare('tenant.created', { failMode: 'closed', timeoutMs: 50 })
    .declare('ui.slot.*', { failMode: 'open', timeoutMs: 50 })
  return { hooks, warnings }
}

const entry = (id: string): NavItem => ({ id, label: id, href: `/${id}` })
const ids = (items: Array<{ id: string }>) => items.map((i) => i.id)
const append = (id: string) => (items: NavItem[]) => [...items, entry(id)]
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

test.group('Hook registry: order', () => {
  test('lower priority runs first, default priority is 100', async ({ assert }) => {
    const { hooks } = registry()
    hooks.addFilter('nav.main', append('default'), { plugin: 'a' })
    hooks.addFilter('nav.main', append('late'), { plugin: 'a', priority: 200 })
    hooks.addFilter('nav.main', append('early'), { plugin: 'a', priority: 10 })
    hooks.addFilter('nav.main', append('just-before-default'), { plugin: 'a', priority: 99 })
    assert.deepEqual(ids(await hooks.applyFilters('nav.main', [])), ['early', 'just-before-default', 'default', 'late'])
  })

  test('ties go by plugin load order, with the kernel first, then by registration order', async ({ assert }) => {
    const { hooks } = registry({ loadOrder: () => ['first', 'second'] })
    hooks.addFilter('nav.main', append('second-1'), { plugin: 'second' })
    hooks.addFilter('nav.main', append('first-1'), { plugin: 'first' })
    hooks.addFilter('nav.main', append('second-2'), { plugin: 'second' })
    hooks.addFilter('nav.main', append('kernel'), { plugin: 'kernel' })
    hooks.addFilter('nav.main', append('first-2'), { plugin: 'first' })
    hooks.addFilter('nav.main', append('unknown'), { plugin: 'not-loaded' })
    assert.deepEqual(ids(await hooks.applyFilters('nav.main', [])), [
      'kernel',
      'first-1',
      'first-2',
      'second-1',
      'second-2',
      'unknown',
    ])
    assert.deepEqual(
      hooks.taps('nav.main').map((t) => t.plugin),
      ['kernel', 'first', 'first', 'second', 'second', 'not-loaded']
    )
  })

  test('`before` puts a tap ahead of the named plugin whatever the priorities', async ({ assert }) => {
    const { hooks } = registry({ loadOrder: () => ['base', 'addon', 'other'] })
    hooks.addFilter('nav.main', append('base'), { plugin: 'base', priority: 10 })
    hooks.addFilter('nav.main', append('other'), { plugin: 'other', priority: 5 })
    hooks.addFilter('nav.main', append('addon'), { plugin: 'addon', priority: 500, before: 'base' })
    assert.deepEqual(ids(await hooks.applyFilters('nav.main', [])), ['other', 'addon', 'base'])
  })

  test('actions run in the same order as filters', async ({ assert }) => {
    const { hooks } = registry({ loadOrder: () => ['a', 'b'] })
    const seen: string[] = []
    hooks.addAction('audit.recorded', () => void seen.push('b'), { plugin: 'b' })
    hooks.addAction('audit.recorded', () => void seen.push('a'), { plugin: 'a' })
    hooks.addAction('audit.recorded', () => void seen.push('b-early'), { plugin: 'b', priority: 1 })
    await hooks.doAction('audit.recorded', { id: 1, tenantId: 1, action: 'x', subjectType: null, subjectId: null })
    assert.deepEqual(seen, ['b-early', 'a', 'b'])
  })
})

test.group('Hook registry: filters are an async waterfall', () => {
  test('each tap receives the value the previous tap returned, and the meta', async ({ assert }) => {
    const { hooks } = registry()
    const metas: HookMeta[] = []
    hooks.addFilter(
      'nav.main',
      async (items, meta) => {
        metas.push(meta)
        await sleep(5)
        return [...items, entry('async')]
      },
      { plugin: 'a', priority: 1 }
    )
    hooks.addFilter(
      'nav.main',
      (items, meta) => {
        metas.push(meta)
        return items.map((i) => ({ ...i, label: `${i.label}!` }))
      },
      { plugin: 'a', priority: 2 }
    )
    const result = await hooks.applyFilters('nav.main', [entry('start')], { tenantId: 7 })
    assert.deepEqual(
      result.map((i) => i.label),
      ['start!', 'async!']
    )
    assert.deepEqual(metas, [{ tenantId: 7 }, { tenantId: 7 }])
  })

  test('with no taps the value comes back unchanged', async ({ assert }) => {
    const { hooks } = registry()
    const value = [entry('x')]
    assert.strictEqual(await hooks.applyFilters('nav.main', value), value)
  })
})

test.group('Hook registry: failure modes', () => {
  test('failOpen skips a throwing tap, keeps the value and logs the plugin id', async ({ assert }) => {
    const { hooks, warnings } = registry()
    hooks.addFilter('nav.main', append('before'), { plugin: 'good', priority: 1 })
    hooks.addFilter(
      'nav.main',
      () => {
        throw new Error('boom')
      },
      { plugin: 'broken', priority: 2 }
    )
    hooks.addFilter('nav.main', append('after'), { plugin: 'good', priority: 3 })
    assert.deepEqual(ids(await hooks.applyFilters('nav.main', [])), ['before', 'after'])
    assert.lengthOf(warnings, 1)
    assert.equal(warnings[0].obj.plugin, 'broken')
    assert.equal(warnings[0].obj.hook, 'nav.main')
    assert.equal(warnings[0].obj.err.message, 'boom')
    assert.include(warnings[0].msg!, 'broken')
  })

  test('failOpen actions skip the throwing tap and still run the others', async ({ assert }) => {
    const { hooks, warnings } = registry()
    const seen: string[] = []
    hooks.addAction('audit.recorded', () => Promise.reject(new Error('nope')), { plugin: 'broken', priority: 1 })
    hooks.addAction('audit.recorded', () => void seen.push('ran'), { plugin: 'good', priority: 2 })
    await hooks.doAction('audit.recorded', { id: 1, tenantId: 1, action: 'x', subjectType: null, subjectId: null })
    assert.deepEqual(seen, ['ran'])
    assert.equal(warnings[0].obj.plugin, 'broken')
  })

  test('failClosed throws a tap error naming the plugin and stops the chain', async ({ assert }) => {
    const { hooks } = registry()
    const seen: string[] = []
    hooks.addFilter(
      'dashboard.widgets',
      () => {
        throw new Error('invalid')
      },
      { plugin: 'strict', priority: 1 }
    )
    hooks.addFilter(
      'dashboard.widgets',
      (w) => {
        seen.push('later')
        return w
      },
      { plugin: 'other', priority: 2 }
    )
    const error = await hooks.applyFilters('dashboard.widgets', []).catch((e) => e)
    assert.instanceOf(error, HookTapError)
    assert.equal(error.plugin, 'strict')
    assert.equal(error.hook, 'dashboard.widgets')
    assert.equal(error.code, 'E_HOOK_TAP_FAILED')
    assert.equal(error.cause.message, 'invalid')
    assert.include(error.message, '"strict"')
    assert.deepEqual(seen, [])
  })

  test('failClosed lets domain errors through with their identity', async ({ assert }) => {
    const { hooks } = registry()
    const domain = new NotFoundError('no such thing')
    hooks.addAction(
      'tenant.created',
      () => {
        throw domain
      },
      { plugin: 'strict' }
    )
    const error = await hooks.doAction('tenant.created', { tenant: {} as any }).catch((e) => e)
    assert.strictEqual(error, domain)
    assert.equal(error.code, 'E_NOT_FOUND')
  })
})

test.group('Hook registry: timeouts', () => {
  test('failOpen: a tap that runs past the timeout is skipped and logged', async ({ assert }) => {
    const { hooks, warnings } = registry()
    hooks.addFilter(
      'nav.main',
      async (items) => {
        await sleep(200)
        return [...items, entry('slow')]
      },
      { plugin: 'slow', priority: 1 }
    )
    hooks.addFilter('nav.main', append('fast'), { plugin: 'fast', priority: 2 })
    const started = Date.now()
    assert.deepEqual(ids(await hooks.applyFilters('nav.main', [])), ['fast'])
    assert.isBelow(Date.now() - started, 180)
    assert.instanceOf(warnings[0].obj.err, HookTimeoutError)
    assert.equal(warnings[0].obj.plugin, 'slow')
  })

  test('failClosed: a tap that runs past the timeout throws a timeout error', async ({ assert }) => {
    const { hooks } = registry()
    hooks.addAction('tenant.created', () => sleep(200), { plugin: 'slow' })
    const error = await hooks.doAction('tenant.created', { tenant: {} as any }).catch((e) => e)
    assert.instanceOf(error, HookTimeoutError)
    assert.equal(error.plugin, 'slow')
    assert.equal(error.code, 'E_HOOK_TIMEOUT')
    assert.include(error.message, '50ms')
  })

  test('without a timeout in the declaration the registry default applies', async ({ assert }) => {
    const hooks = new HookRegistry({ defaultTimeoutMs: 20 })
    hooks.declare('tenant.created', { failMode: 'closed' })
    hooks.addAction('tenant.created', () => sleep(100), { plugin: 'slow' })
    const error = await hooks.doAction('tenant.created', { tenant: {} as any }).catch((e) => e)
    assert.instanceOf(error, HookTimeoutError)
    assert.include(error.message, '20ms')
  })
})

test.group('Hook registry: enablement', () => {
  test('taps of a plugin disabled for the tenant are skipped; the kernel is never asked', async ({ assert }) => {
    const asked: Array<[string, HookMeta]> = []
    const { hooks } = registry({
      isEnabled: (plugin, meta) => {
        asked.push([plugin, meta])
        return !(plugin === 'off' && meta.tenantId === 1)
      },
    })
    hooks.addFilter('nav.main', append('kernel'), { plugin: 'kernel' })
    hooks.addFilter('nav.main', append('on'), { plugin: 'on' })
    hooks.addFilter('nav.main', append('off'), { plugin: 'off' })
    assert.deepEqual(ids(await hooks.applyFilters('nav.main', [], { tenantId: 1 })), ['kernel', 'on'])
    assert.deepEqual(ids(await hooks.applyFilters('nav.main', [], { tenantId: 2 })), ['kernel', 'on', 'off'])
    assert.notInclude(
      asked.map(([p]) => p),
      'kernel'
    )
  })

  test('action taps of a disabled plugin are skipped too', async ({ assert }) => {
    const seen: string[] = []
    const { hooks } = registry({ isEnabled: async (plugin) => plugin !== 'off' })
    hooks.addAction('audit.recorded', () => void seen.push('on'), { plugin: 'on' })
    hooks.addAction('audit.recorded', () => void seen.push('off'), { plugin: 'off' })
    await hooks.doAction('audit.recorded', { id: 1, tenantId: 1, action: 'x', subjectType: null, subjectId: null })
    assert.deepEqual(seen, ['on'])
  })

  test('removePlugin drops every tap of that plugin', async ({ assert }) => {
    const { hooks } = registry()
    hooks.addFilter('nav.main', append('gone'), { plugin: 'gone' })
    hooks.addFilter('nav.main', append('stays'), { plugin: 'stays' })
    hooks.removePlugin('gone')
    assert.deepEqual(ids(await hooks.applyFilters('nav.main', [])), ['stays'])
  })
})

test.group('Hook registry: declarations', () => {
  test('tapping or running an undeclared hook throws', async ({ assert }) => {
    const hooks = new HookRegistry()
    assert.throws(() => hooks.addFilter('nav.main', (v) => v, { plugin: 'a' }), /not declared/)
    assert.throws(() => hooks.addAction('user.created', () => {}, { plugin: 'a' }), /not declared/)
    await assert.rejects(() => hooks.applyFilters('nav.main', []), UndeclaredHookError as any)
    await assert.rejects(() => hooks.doAction('user.created', { user: {} as any }), UndeclaredHookError as any)
    assert.isFalse(hooks.isDeclared('nav.main'))
  })

  test('a `ui.slot.*` declaration covers every slot name under it, and only those', async ({ assert }) => {
    const { hooks } = registry()
    assert.isTrue(hooks.isDeclared('ui.slot.invoice.sidebar'))
    assert.isTrue(hooks.isDeclared('ui.slot.x'))
    assert.isFalse(hooks.isDeclared('ui.slot'))
    assert.isFalse(hooks.isDeclared('ui.slots.x'))
    assert.equal(hooks.declaration('ui.slot.invoice.sidebar').failMode, 'open')
    assert.deepInclude(
      hooks.declared().map((d) => d.name),
      'ui.slot.*'
    )
    hooks.addFilter('ui.slot.invoice.sidebar', (items) => [...items, { id: 'pay', html: '<b>pay</b>' }], {
      plugin: 'payments',
    })
    const items = await hooks.applyFilters('ui.slot.invoice.sidebar', [])
    assert.deepEqual(ids(items), ['pay'])
    assert.deepEqual(await hooks.applyFilters('ui.slot.other', []), [])
  })

  test('an exact declaration wins over a pattern', async ({ assert }) => {
    const { hooks } = registry()
    hooks.declare('ui.slot.strict', { failMode: 'closed', timeoutMs: 10 })
    assert.equal(hooks.declaration('ui.slot.strict').failMode, 'closed')
    assert.equal(hooks.declaration('ui.slot.loose').failMode, 'open')
  })

  test('the kernel catalogue declares the hooks the architecture names', async ({ assert }) => {
    const { default: hooks } = await import('#kernel/hooks')
    for (const name of [
      'nav.main',
      'nav.portal',
      'dashboard.widgets',
      'ui.slot.any.name',
      'settings.sections',
      'search.providers',
      'api.openapi',
      'notifications.channels',
      'tenant.created',
      'user.created',
      'audit.recorded',
    ]) {
      assert.isTrue(hooks.isDeclared(name), name)
    }
    assert.equal(hooks.declaration('nav.main').failMode, 'open')
    assert.equal(hooks.declaration('tenant.created').failMode, 'closed')
  })
})
