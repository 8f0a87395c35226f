/*
| `node ace plugin:enable <id> --tenant <slug>`: turns a plugin on for one tenant through
| plugins.setEnabled (runs onEnable, enforces dependencies) and records it in the audit log.
| plugin:disable is the same command the other way round.
*/
import { userInfo } from 'node:os'
import { BaseCommand, args, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

export default class PluginEnable extends BaseCommand {
  static commandName = 'plugin:enable'
  static description = 'Enable a plugin for a tenant (runs its onEnable; the plugins it depends on must be enabled)'
  static options: CommandOptions = { startApp: true }

  @args.string({ description: 'Plugin id (see plugin:list)' })
  declare id: string

  @flags.string({ description: 'Slug of the tenant', required: true })
  declare tenant: string

  protected enable = true

  async run() {
    const { default: plugins, PluginDependencyError } = await import('#kernel/plugin_service')
    const { default: Tenant } = await import('#models/tenant')
    const { audit } = await import('#services/audit_service')

    const tenant = await Tenant.findBy('slug', this.tenant)
    if (!tenant) return this.fail(`Unknown tenant "${this.tenant}"`)
    if (!plugins.get(this.id)) {
      const installed = plugins.ids().join(', ') || 'none'
      return this.fail(`Unknown plugin "${this.id}" (installed: ${installed})`)
    }

    const verb = this.enable ? 'enabled' : 'disabled'
    const was = (await plugins.enabledFor(tenant.id)).has(this.id)
    if (was === this.enable) {
      this.logger.info(`Plugin "${this.id}" is already ${verb} for tenant "${tenant.slug}"`)
      return
    }
    try {
      await plugins.setEnabled(tenant, this.id, this.enable)
    } catch (error) {
      if (error instanceof PluginDependencyError) return this.fail(error.message)
      throw error
    }
    await audit({
      action: `plugin.${verb}`,
      subjectType: 'plugin',
      subjectId: this.id,
      before: { enabled: was },
      after: { enabled: this.enable },
      tenantId: tenant.id,
      actor: { type: 'cli', id: null, label: cliUser() },
    })
    this.logger.success(`Plugin "${this.id}" ${verb} for tenant "${tenant.slug}"`)
  }

  protected fail(message: string) {
    this.logger.error(message)
    this.exitCode = 1
  }
}

/** Who ran the command, as far as the machine knows */
function cliUser() {
  try {
    return userInfo().username
  } catch {
    return null
  }
}
