/*
| Installed plugins, in load order (dependencies are sorted after this). `node ace make:plugin`
| adds entries above the marker line. npm-packaged plugins use npmPlugin('<package>').
*/
import { fileURLToPath } from 'node:url'
import { createRequire } from 'node:module'
import { dirname, relative } from 'node:path'
import type { PluginSource } from '#kernel/plugin_loader'

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

export function pluginMigrationPaths() {
  const root = fileURLToPath(APP_ROOT)
  return plugins.map((p) => relative(root, `${p.root}database/migrations`))
}
