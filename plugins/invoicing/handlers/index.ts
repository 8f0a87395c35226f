/* Hook taps of the plugin, one file per area */
import type { PluginContext } from '#kernel/plugin_manifest'
import parties from './parties_taps.js'
import documents from './documents_taps.js'
import ui from './ui_taps.js'
import pdf from './pdf_taps.js'

export default async function taps(ctx: PluginContext) {
  parties(ctx)
  documents(ctx)
  ui(ctx)
  pdf(ctx)
}
