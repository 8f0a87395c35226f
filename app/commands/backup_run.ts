/*
| `node ace backup:run`: makes a backup now (database snapshot plus uploaded files, encrypted with
| BACKUP_KEY) while the app keeps running, records it in `backups` and applies retention.
*/
import { BaseCommand } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

export default class BackupRun extends BaseCommand {
  static commandName = 'backup:run'
  static description = 'Back up the database and uploaded files into an encrypted archive on the backups disk'
  static options: CommandOptions = { startApp: true }

  async run() {
    const { runBackup } = await import('#services/backup_service')
    try {
      const backup = await runBackup({ trigger: 'cli' })
      this.logger.success(
        `Backup #${backup.id} written to ${backup.diskKey} (${backup.sizeBytes} bytes, ${backup.tenantCount} tenants, ` +
          `${backup.rowCount} rows, ${backup.fileCount} files, ${backup.durationMs} ms)`
      )
      this.logger.info(`SHA-256 ${backup.checksum}`)
    } catch (error) {
      this.logger.error(`Backup failed: ${(error as Error).message}`)
      this.exitCode = 1
    }
  }
}
