/*
| `node ace plugin:list [--tenant <slug>]`: the installed plugins in load order, and with a tenant
| whether each is enabled for it.
*/
import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

export default class PluginList extends BaseCommand {
  static commandName = 'plugin:list'
  static description = 'List the installed plugins in load order (with --tenant: enabled or not for that tenant)'
  static options: CommandOptions = { startApp: true }

  @flags.string({ description: 'Slug of a tenant: adds whether each plugin is enabled for it' })
  declare tenant?: string

  async run() {
    const { default: plugins } = await import('#kernel/plugin_service')
    const { default: Tenant } = await import('#models/tenant')

    let enabled: Set<string> | null = null
    if (this.tenant !== undefined) {
      const tenant = await Tenant.findBy('slug', this.tenant)
      if (!tenant) {
        this.logger.error(`Unknown tenant "${this.tenant}"`)
        this.exitCode = 1
        return
      }
      enabled = await plugins.enabledFor(tenant.id)
    }

    const list = plugins.list()
    if (!list.length) {
      this.logger.info('No plugins are installed (see config/plugins.ts)')
      return
    }
    const table = this.ui.table()
    table.head(['Id', 'Name', 'Version', 'Kernel', 'Depends on', ...(enabled ? [`Enabled (${this.tenant})`] : [])])
    for (const { manifest } of list) {
      const dependsOn = Object.entries(manifest.dependsOn ?? {})
        .map(([id, range]) => `${id} ${range}`)
        .join(', ')
      table.row([
        manifest.id,
        manifest.name,
        manifest.version,
        manifest.kernel,
        dependsOn || '-',
        ...(enabled ? [enabled.has(manifest.id) ? 'yes' : 'no'] : []),
      ])
    }
    table.render()
  }
}
