/*
| The backup job. Backups are install-wide while jobs run per tenant: the schedule dispatches one
| job per active tenant each tick, and the first of them to claim the tick in `backups` (unique
| trigger_key) makes the backup; the others find it claimed and return. "Back up now" passes the
| id of the row it queued.
*/
import logger from '@adonisjs/core/services/logger'
import env from '#start/env'
import jobs from '#services/jobs'
import Backup from '#models/backup'
import Tenant from '#models/tenant'
import { previousTick } from '#jobs/cron'
import { runBackup } from '#services/backup_service'

export const BACKUP_JOB = 'kernel:run_backup'
export const DEFAULT_BACKUP_SCHEDULE = '0 3 * * *'

/** The cron expression of scheduled backups, or null when BACKUP_SCHEDULE=off */
export function backupSchedule(): string | null {
  const value = env.get('BACKUP_SCHEDULE')?.trim() || DEFAULT_BACKUP_SCHEDULE
  return value === 'off' ? null : value
}

/** Claims the schedule tick at or before `now`; null when another job already has it */
export async function claimScheduledBackup(schedule: string, now = Date.now()): Promise<Backup | null> {
  const tick = previousTick(schedule, now)
  if (tick === null) return null
  const triggerKey = `schedule@${tick}`
  if (await Backup.findBy('trigger_key', triggerKey)) return null
  try {
    return await Backup.create({ status: 'queued', trigger: 'schedule', triggerKey })
  } catch (error) {
    /* a unique violation: another worker claimed the tick between the lookup and the insert */
    if (await Backup.findBy('trigger_key', triggerKey)) return null
    throw error
  }
}

jobs.define<{ tenantId: number; backupId?: number }>(
  BACKUP_JOB,
  async ({ backupId }) => {
    let backup: Backup | null
    if (backupId) {
      backup = await Backup.find(backupId)
      /* already run (a redelivery, or a restored database): nothing to do */
      if (!backup || backup.status !== 'queued') return
    } else {
      const schedule = backupSchedule()
      backup = schedule ? await claimScheduledBackup(schedule) : null
      if (!backup) return
    }
    try {
      await runBackup({ backup })
    } catch (error) {
      /* recorded on the backup row; a retry would only repeat a full backup at once */
      logger.error({ err: error, backupId: backup.id }, 'backup failed')
    }
  },
  { attempts: 1, schedule: backupSchedule() ?? undefined }
)

/**
 * Queues a backup ("back up now"). Jobs run in a tenant's context, so it rides on the oldest
 * active tenant's queue; an install without tenants runs it in this process instead.
 */
export async function dispatchBackup(backup: Backup) {
  const carrier = (await Tenant.query().where('status', 'active').orderBy('id').first()) ?? (await Tenant.query().orderBy('id').first())
  if (carrier) {
    await jobs.dispatch(BACKUP_JOB, { tenantId: carrier.id, backupId: backup.id }, { jobId: `${BACKUP_JOB}@manual-${backup.id}` })
    return
  }
  runBackup({ backup }).catch((error) => logger.error({ err: error, backupId: backup.id }, 'backup failed'))
}
