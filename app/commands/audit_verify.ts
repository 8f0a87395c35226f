import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

/**
 * `node ace audit:verify [--tenant=acme]` walks the audit hash chains (every tenant's and the
 * platform's, or one tenant's) and exits 1 naming the first broken entry of each broken chain.
 */
export default class AuditVerify extends BaseCommand {
  static commandName = 'audit:verify'
  static description = 'Verify the tamper-evident hash chains of the audit log'
  static help = [
    'Each entry carries a SHA-256 hash over its content and the previous entry\'s hash.',
    'An edited, deleted or re-ordered entry breaks the chain; the command names the first broken entry and exits 1.',
  ]
  static options: CommandOptions = { startApp: true }

  @flags.string({ description: 'Slug of one tenant to check (default: every chain)' })
  declare tenant?: string

  async run() {
    const { default: Tenant } = await import('#models/tenant')
    const { chainTenants, verifyChain } = await import('#services/audit_integrity_service')

    let chains: Array<number | null>
    if (this.tenant) {
      const tenant = await Tenant.findBy('slug', this.tenant.trim().toLowerCase())
      if (!tenant) {
        this.logger.error(`Unknown tenant "${this.tenant}"`)
        this.exitCode = 1
        return
      }
      chains = [tenant.id]
    } else {
      chains = await chainTenants()
    }
    const slugs = new Map((await Tenant.query().select('id', 'slug')).map((t) => [t.id, t.slug]))
    let broken = 0
    for (const tenantId of chains) {
      const name = tenantId === null ? 'platform' : `tenant ${slugs.get(tenantId) ?? `#${tenantId}`}`
      const report = await verifyChain(tenantId)
      if (report.broken) {
        broken++
        const b = report.broken
        this.logger.error(`${name}: chain broken at audit entry id ${b.id} (sequence ${b.seq}): ${b.reason.replaceAll('_', ' ')}`)
      } else {
        this.logger.success(`${name}: ${report.entries} entries, chain intact`)
      }
    }
    if (broken) this.exitCode = 1
  }
}
