/* `node ace plugin:disable <id> --tenant <slug>`: see plugin_enable.ts; refused while other enabled plugins need it. */
import type { CommandOptions } from '@adonisjs/core/types/ace'
import PluginEnable from './plugin_enable.js'

export default class PluginDisable extends PluginEnable {
  static commandName = 'plugin:disable'
  static description = 'Disable a plugin for a tenant (runs its onDisable, keeps its data; refused while enabled plugins depend on it)'
  static options: CommandOptions = { startApp: true }

  protected enable = false
}
