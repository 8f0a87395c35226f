/*
| The typed hook registry: actions (events) and filters (async waterfalls) that plugins tap.
| Types come from the `Actions` and `Filters` interfaces in #kernel/hooks, which plugins augment.
*/
import type { Actions, Filters } from '#kernel/hooks'

export type FailMode = 'open' | 'closed'

export interface HookDeclaration {
  /** open: log the failing tap with its plugin id and skip it. closed: throw to the caller. */
  failMode: FailMode
  /** Per-tap timeout in milliseconds */
  timeoutMs?: number
  description?: string
}

export interface TapOptions {
  plugin: string
  /** Lower runs first. Default 100. */
  priority?: number
  /** Plugin ids whose taps on this hook this tap must precede, whatever their priority */
  before?: string | string[]
}

export interface HookMeta {
  tenantId?: number | null
  [key: string]: unknown
}

type FilterFn<V> = (value: V, meta: HookMeta) => V | Promise<V>
type ActionFn<P> = (payload: P, meta: HookMeta) => void | Promise<void>

interface Tap {
  plugin: string
  priority: number
  before: string[]
  seq: number
  fn: (value: any, meta: HookMeta) => any
}

export class HookTimeoutError extends Error {
  code = 'E_HOOK_TIMEOUT'
  constructor(
    public hook: string,
    public plugin: string,
    ms: number
  ) {
    super(`Hook "${hook}" tap of plugin "${plugin}" timed out after ${ms}ms`)
  }
}

export class HookTapError extends Error {
  code = 'E_HOOK_TAP_FAILED'
  constructor(
    public hook: string,
    public plugin: string,
    cause: unknown
  ) {
    super(`Hook "${hook}" tap of plugin "${plugin}" failed: ${(cause as Error)?.message ?? cause}`, {
      cause,
    })
  }
}

export class UndeclaredHookError extends Error {
  code = 'E_UNDECLARED_HOOK'
  constructor(hook: string) {
    super(`Hook "${hook}" is not declared in the hook catalogue`)
  }
}

export interface HookRegistryOptions {
  /** Answers whether a plugin is enabled for a tenant; taps of disabled plugins are skipped. */
  isEnabled?: (plugin: string, meta: HookMeta) => boolean | Promise<boolean>
  /** Plugin load order, used to break priority ties */
  loadOrder?: () => string[]
  logger?: { warn(obj: unknown, msg?: string): void; error(obj: unknown, msg?: string): void }
  defaultTimeoutMs?: number
}

export class HookRegistry {
  #declarations = new Map<string, HookDeclaration>()
  #patterns: Array<[string, HookDeclaration]> = []
  #filters = new Map<string, Tap[]>()
  #actions = new Map<string, Tap[]>()
  #seq = 0

  constructor(public options: HookRegistryOptions = {}) {}

  /** Declares a hook (or a family: a name ending in `*`) with its failure mode and timeout. */
  declare(name: string, declaration: HookDeclaration) {
    if (name.endsWith('*')) {
      this.#patterns.push([name.slice(0, -1), declaration])
    } else {
      this.#declarations.set(name, declaration)
    }
    return this
  }

  declaration(name: string): HookDeclaration {
    const exact = this.#declarations.get(name)
    if (exact) return exact
    const pattern = this.#patterns.find(([prefix]) => name.startsWith(prefix))
    if (pattern) return pattern[1]
    throw new UndeclaredHookError(name)
  }

  isDeclared(name: string) {
    try {
      this.declaration(name)
      return true
    } catch {
      return false
    }
  }

  declared() {
    return [
      ...[...this.#declarations.entries()].map(([name, d]) => ({ name, ...d })),
      ...this.#patterns.map(([prefix, d]) => ({ name: `${prefix}*`, ...d })),
    ]
  }

  addFilter<K extends keyof Filters & string>(
    name: K,
    fn: FilterFn<Filters[K]>,
    options: TapOptions
  ) {
    this.declaration(name)
    this.#add(this.#filters, name, fn, options)
    return this
  }

  addAction<K extends keyof Actions & string>(name: K, fn: ActionFn<Actions[K]>, options: TapOptions) {
    this.declaration(name)
    this.#add(this.#actions, name, fn, options)
    return this
  }

  /** Removes every tap a plugin registered (used by tests and on shutdown) */
  removePlugin(plugin: string) {
    for (const map of [this.#filters, this.#actions]) {
      for (const [name, taps] of map) {
        map.set(
          name,
          taps.filter((t) => t.plugin !== plugin)
        )
      }
    }
  }

  taps(name: string) {
    return this.#sorted([...(this.#filters.get(name) ?? []), ...(this.#actions.get(name) ?? [])]).map(
      (t) => ({ plugin: t.plugin, priority: t.priority })
    )
  }

  async applyFilters<K extends keyof Filters & string>(
    name: K,
    value: Filters[K],
    meta: HookMeta = {}
  ): Promise<Filters[K]> {
    const declaration = this.declaration(name)
    let current = value
    for (const tap of this.#sorted(this.#filters.get(name) ?? [])) {
      if (!(await this.#enabled(tap.plugin, meta))) continue
      try {
        current = await this.#run(name, tap, declaration, current, meta)
      } catch (error) {
        if (declaration.failMode === 'closed') throw this.#wrap(name, tap, error)
        this.#log(name, tap, error)
      }
    }
    return current
  }

  async doAction<K extends keyof Actions & string>(name: K, payload: Actions[K], meta: HookMeta = {}) {
    const declaration = this.declaration(name)
    for (const tap of this.#sorted(this.#actions.get(name) ?? [])) {
      if (!(await this.#enabled(tap.plugin, meta))) continue
      try {
        await this.#run(name, tap, declaration, payload, meta)
      } catch (error) {
        if (declaration.failMode === 'closed') throw this.#wrap(name, tap, error)
        this.#log(name, tap, error)
      }
    }
  }

  #add(map: Map<string, Tap[]>, name: string, fn: Tap['fn'], options: TapOptions) {
    const list = map.get(name) ?? []
    const before = options.before === undefined ? [] : [options.before].flat()
    list.push({ plugin: options.plugin, priority: options.priority ?? 100, before, seq: this.#seq++, fn })
    map.set(name, list)
  }

  #sorted(taps: Tap[]) {
    const order = this.options.loadOrder?.() ?? []
    const rank = (plugin: string) => {
      if (plugin === 'kernel') return -1
      const i = order.indexOf(plugin)
      return i === -1 ? order.length : i
    }
    const sorted = [...taps].sort(
      (a, b) => a.priority - b.priority || rank(a.plugin) - rank(b.plugin) || a.seq - b.seq
    )
    /* `before` is a constraint, not a rank: move such a tap just ahead of the first tap it names */
    for (const tap of sorted.filter((t) => t.before.length)) {
      const at = sorted.indexOf(tap)
      const first = sorted.findIndex((t) => t !== tap && tap.before.includes(t.plugin))
      if (first !== -1 && first < at) {
        sorted.splice(at, 1)
        sorted.splice(first, 0, tap)
      }
    }
    return sorted
  }

  async #enabled(plugin: string, meta: HookMeta) {
    if (plugin === 'kernel' || !this.options.isEnabled) return true
    return this.options.isEnabled(plugin, meta)
  }

  async #run(name: string, tap: Tap, declaration: HookDeclaration, value: unknown, meta: HookMeta) {
    const ms = declaration.timeoutMs ?? this.options.defaultTimeoutMs ?? 5000
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new HookTimeoutError(name, tap.plugin, ms)), ms)
    })
    try {
      return await Promise.race([Promise.resolve().then(() => tap.fn(value, meta)), timeout])
    } finally {
      clearTimeout(timer)
    }
  }

  #wrap(name: string, tap: Tap, error: unknown) {
    if (error instanceof HookTimeoutError) return error
    /* Domain errors (with a code) keep their identity so callers can show their message */
    if (error && typeof error === 'object' && 'code' in error && 'status' in error) return error
    return new HookTapError(name, tap.plugin, error)
  }

  #log(name: string, tap: Tap, error: unknown) {
    this.options.logger?.warn(
      { hook: name, plugin: tap.plugin, err: error },
      `hook tap failed open: ${name} (${tap.plugin})`
    )
  }
}
