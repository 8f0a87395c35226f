/*
| `node ace backup:restore <file>`: restores an archive (a path on this machine or a key on the
| backups disk) into the configured database, which must be empty, then its files, and checks
| the result against the archive's manifest. There is deliberately no --force.
*/
import { BaseCommand, args } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

export default class BackupRestore extends BaseCommand {
  static commandName = 'backup:restore'
  static description = 'Restore a backup archive into an empty database and check it against its manifest'
  static options: CommandOptions = { startApp: true }

  @args.string({ description: 'Archive: a local file path, or a key on the backups disk' })
  declare file: string

  async run() {
    const { restoreBackup } = await import('#services/backup_service')
    try {
      const report = await restoreBackup(this.file, { log: (message) => this.logger.info(message) })
      const table = this.ui.table()
      table.head(['Tenant', 'Slug', 'Rows', 'Money totals'])
      for (const tenant of report.tenants) {
        const money = Object.entries(tenant.money)
          .map(([column, sum]) => `${column}=${sum}`)
          .join(', ')
        table.row([tenant.tenantId, tenant.slug ?? '-', String(tenant.rows), money || '-'])
      }
      table.render()
      this.logger.success(
        `Restored backup #${report.manifest.backupId} of ${report.manifest.createdAt}: ` +
          `${report.tenants.length} tenants, ${report.files} files; every checksum matches the manifest`
      )
    } catch (error) {
      this.logger.error(`Restore failed: ${(error as Error).message}`)
      this.exitCode = 1
    }
  }
}
