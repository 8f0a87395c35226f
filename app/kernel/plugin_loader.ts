/*
| Loads the installed plugins: validates kernel range and dependencies, sorts them
| topologically, then runs register for all and boot for all. Any error stops start-up and
| names the plugin.
*/
import semver from 'semver'
import type { PluginContext, PluginManifest, RoutesModule } from '#kernel/plugin_manifest'

export const KERNEL_VERSION = '1.0.0'

export interface PluginSource {
  id: string
  /** absolute path of the plugin folder */
  root: string
  load: () => Promise<{ default: PluginManifest }>
}

export interface LoadedPlugin {
  manifest: PluginManifest
  root: string
  ctx: PluginContext
}

export class PluginLoadError extends Error {
  code = 'E_PLUGIN_LOAD'
  constructor(
    public pluginId: string,
    message: string
  ) {
    super(`Plugin "${pluginId}": ${message}`)
  }
}

/** Validates versions and dependencies and returns manifests in dependency order */
export function orderPlugins(manifests: PluginManifest[], kernelVersion = KERNEL_VERSION) {
  const byId = new Map<string, PluginManifest>()
  for (const m of manifests) {
    if (byId.has(m.id)) throw new PluginLoadError(m.id, 'is installed twice')
    byId.set(m.id, m)
  }
  for (const m of manifests) {
    if (!semver.validRange(m.kernel)) {
      throw new PluginLoadError(m.id, `kernel range "${m.kernel}" is not a semver range`)
    }
    if (!semver.satisfies(kernelVersion, m.kernel)) {
      throw new PluginLoadError(
        m.id,
        `needs kernel ${m.kernel} but this kernel is ${kernelVersion}`
      )
    }
    for (const [dep, range] of Object.entries(m.dependsOn ?? {})) {
      const other = byId.get(dep)
      if (!other) throw new PluginLoadError(m.id, `depends on "${dep}", which is not installed`)
      if (!semver.satisfies(other.version, range)) {
        throw new PluginLoadError(
          m.id,
          `depends on "${dep}" ${range} but ${other.version} is installed`
        )
      }
    }
  }

  /* Depth-first: dependencies first, the configured order kept among independent plugins */
  const ordered: PluginManifest[] = []
  const done = new Set<string>()
  const visiting = new Set<string>()
  const visit = (m: PluginManifest, chain: string[]) => {
    if (done.has(m.id)) return
    if (visiting.has(m.id)) {
      throw new PluginLoadError(m.id, `dependency cycle: ${[...chain, m.id].join(' -> ')}`)
    }
    visiting.add(m.id)
    for (const dep of Object.keys(m.dependsOn ?? {})) visit(byId.get(dep)!, [...chain, m.id])
    visiting.delete(m.id)
    done.add(m.id)
    ordered.push(m)
  }
  for (const m of manifests) visit(m, [])
  return ordered
}

/**
 * Imports a plugin's `routes` or `api` file and returns its register function; a failure in
 * either step stops start-up naming the plugin, like errors in register and boot.
 */
export async function loadRoutes(id: string, kind: 'routes' | 'api' | 'publicRoutes', load: () => Promise<RoutesModule>) {
  let register: RoutesModule['default']
  try {
    register = (await load()).default
  } catch (error) {
    throw new PluginLoadError(id, `${kind} cannot be imported: ${(error as Error).message}`)
  }
  return (ctx: PluginContext) => {
    try {
      register(ctx)
    } catch (error) {
      throw new PluginLoadError(id, `${kind} failed: ${(error as Error).message}`)
    }
  }
}

export class PluginLoader {
  #plugins: LoadedPlugin[] = []
  #booted = false

  constructor(private makeContext: (manifest: PluginManifest, root: string) => PluginContext) {}

  async load(sources: PluginSource[]) {
    const manifests: PluginManifest[] = []
    const roots = new Map<string, string>()
    for (const source of sources) {
      let manifest: PluginManifest
      try {
        manifest = (await source.load()).default
      } catch (error) {
        throw new PluginLoadError(source.id, `cannot be imported: ${(error as Error).message}`)
      }
      if (manifest.id !== source.id) {
        throw new PluginLoadError(source.id, `manifest declares id "${manifest.id}"`)
      }
      manifests.push(manifest)
      roots.set(manifest.id, source.root)
    }
    this.#plugins = orderPlugins(manifests).map((manifest) => {
      const root = roots.get(manifest.id)!
      return { manifest, root, ctx: this.makeContext(manifest, root) }
    })
    return this.#plugins
  }

  async registerAndBoot() {
    for (const p of this.#plugins) await this.#step(p, 'register')
    for (const p of this.#plugins) await this.#step(p, 'boot')
    this.#booted = true
  }

  async shutdown() {
    for (const p of [...this.#plugins].reverse()) {
      await p.manifest.shutdown?.(p.ctx)
    }
  }

  async #step(p: LoadedPlugin, step: 'register' | 'boot') {
    try {
      await p.manifest[step]?.(p.ctx)
    } catch (error) {
      throw new PluginLoadError(p.manifest.id, `${step} failed: ${(error as Error).message}`)
    }
  }

  get booted() {
    return this.#booted
  }

  list() {
    return this.#plugins
  }

  ids() {
    return this.#plugins.map((p) => p.manifest.id)
  }

  get(id: string) {
    return this.#plugins.find((p) => p.manifest.id === id)
  }
}
