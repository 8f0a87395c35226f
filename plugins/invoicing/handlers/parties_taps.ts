import type { PluginContext } from '#kernel/plugin_manifest'

export default function (_ctx: PluginContext) {}
