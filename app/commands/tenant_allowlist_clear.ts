import { BaseCommand, args, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

/**
 * `node ace tenant:allowlist:clear acme [--ui] [--api]`: the way back in when a tenant's IP
 * allowlist shuts its owner out (a changed office address, a new proxy). Without flags both lists
 * are emptied. Each emptied list is recorded in the tenant's audit log with the CLI as actor.
 */
export default class TenantAllowlistClear extends BaseCommand {
  static commandName = 'tenant:allowlist:clear'
  static description = "Empty a tenant's IP allowlists (admin UI, API or both) so every address is allowed again"
  static help = ['Without --ui or --api both lists are cleared. The change is audited.']
  static options: CommandOptions = { startApp: true }

  @args.string({ description: 'Slug of the tenant' })
  declare slug: string

  @flags.boolean({ flagName: 'ui', description: 'Clear the admin UI allowlist' })
  declare clearUi?: boolean

  @flags.boolean({ flagName: 'api', description: 'Clear the API allowlist' })
  declare clearApi?: boolean

  async run() {
    const { default: Tenant } = await import('#models/tenant')
    const { replaceAllowlist } = await import('#services/ip_allowlist_service')

    const tenant = await Tenant.findBy('slug', this.slug.trim().toLowerCase())
    if (!tenant) {
      this.logger.error(`Unknown tenant "${this.slug}"`)
      this.exitCode = 1
      return
    }
    const chosen = { ui: this.clearUi, api: this.clearApi }
    const scopes = this.clearUi || this.clearApi ? (['ui', 'api'] as const).filter((s) => chosen[s]) : (['ui', 'api'] as const)
    for (const scope of scopes) {
      const changed = await replaceAllowlist(tenant.id, scope, [], {
        actor: { type: 'cli', id: null, label: 'tenant:allowlist:clear' },
      })
      const name = scope === 'ui' ? 'admin UI' : 'API'
      this.logger.success(changed ? `${tenant.slug}: ${name} allowlist cleared` : `${tenant.slug}: ${name} allowlist was already empty`)
    }
  }
}
