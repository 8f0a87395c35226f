/*
| Installed plugins, in load order (dependencies are sorted after this). `node ace make:plugin`
| adds entries above the marker line. npm-packaged plugins use npmPlugin('<id>', '<package>').
*/
import { fileURLToPath } from 'node:url'
import { createRequire } from 'node:module'
import { dirname, join, relative } from 'node:path'
import { orderPlugins, type PluginSource } from '#kernel/plugin_loader'
import type { PluginManifest } from '#kernel/plugin_manifest'

const APP_ROOT = new URL('../', import.meta.url)

function localPlugin(id: string, folder = `plugins/${id}`): PluginSource {
  const root = fileURLToPath(new URL(`${folder}/`, APP_ROOT))
  return { id, root, load: () => import(new URL(`${folder}/plugin.js`, APP_ROOT).href) }
}

export function npmPlugin(id: string, packageName: string): PluginSource {
  const require = createRequire(APP_ROOT)
  const root = dirname(require.resolve(`${packageName}/package.json`))
  return { id, root, load: () => import(`${packageName}/plugin`) }
}

const plugins: PluginSource[] = [
  localPlugin('invoicing'),
  localPlugin('payments'),
  // make:plugin inserts here
]

/*
| Fixture plugins, loaded only by the test suite: `sample` exercises every extension point,
| `sample_addon` depends on it (listed first on purpose: the loader sorts dependencies first).
*/
if (process.env.NODE_ENV === 'test') {
  plugins.push(
    localPlugin('sample_addon', 'tests/fixtures/plugins/sample_addon'),
    localPlugin('sample', 'tests/fixtures/plugins/sample')
  )
}

export default plugins

/*
| The manifests are read here, before the app boots, so the database and i18n configs can honour
| each plugin's `paths` and run plugin migrations in dependency order. This is why plugin.ts
| must import nothing at its top but #kernel/plugin_manifest (and types). A plugin that fails
| here gets the default paths; the loader reports its error, naming it, when the app boots.
*/
const manifests = new Map<string, PluginManifest>()
for (const source of plugins) {
  try {
    manifests.set(source.id, (await source.load()).default)
  } catch {
    /* not lost: the same import fails again in the loader, which names the plugin */
  }
}

/** Dependencies first, like the loader; the configured order when the set cannot be ordered */
function inLoadOrder(): PluginSource[] {
  try {
    const order = orderPlugins([...manifests.values()]).map((m) => m.id)
    const rank = (p: PluginSource) => (order.includes(p.id) ? order.indexOf(p.id) : order.length)
    return [...plugins].sort((a, b) => rank(a) - rank(b))
  } catch {
    /* a broken set (missing dependency, cycle) stops the loader at boot with the reason */
    return plugins
  }
}

function folderOf(source: PluginSource, kind: 'migrations' | 'lang', fallback: string) {
  return join(source.root, manifests.get(source.id)?.paths?.[kind] ?? fallback)
}

/** Migration folders of the plugins, relative to the app root, in load order */
export function pluginMigrationPaths() {
  const root = fileURLToPath(APP_ROOT)
  return inLoadOrder().map((p) => relative(root, folderOf(p, 'migrations', 'database/migrations')))
}

/** Absolute language folders of the plugins (resources/lang unless the manifest says otherwise) */
export function pluginLangPaths() {
  return inLoadOrder().map((p) => folderOf(p, 'lang', 'resources/lang'))
}
