import type { HttpContext } from '@adonisjs/core/http'
import Backup from '#models/backup'
import { audit } from '#services/audit_service'
import { NotFoundError } from '#exceptions/domain_errors'
import { backupDisk, failStaleBackups, retention } from '#services/backup_service'
import { backupSchedule, dispatchBackup } from '#jobs/backup_jobs'
import { wantsFragment } from '#controllers/settings/form_support'

const LIST_LIMIT = 100

/** Install-wide backups for operators: history with status, "back up now", archive download */
export default class BackupsController {
  async index(ctx: HttpContext) {
    ctx.response.header('Vary', 'HX-Request')
    await failStaleBackups()
    const backups = await Backup.query().orderBy('id', 'desc').limit(LIST_LIMIT)
    const data = {
      backups: backups.map((backup) => present(ctx, backup)),
      live: backups.some((b) => b.status === 'queued' || b.status === 'running'),
    }
    if (wantsFragment(ctx)) return ctx.view.render('pages/platform/backups_table', data)
    return ctx.view.render('pages/platform/backups', { ...data, schedule: backupSchedule(), retention: retention() })
  }

  async store(ctx: HttpContext) {
    const { session, i18n, response, auth } = ctx
    const admin = auth.use('platform').user!
    await failStaleBackups()
    const pending = await Backup.query().whereIn('status', ['queued', 'running']).first()
    if (pending) {
      session.flash('error', i18n.t('backups.already_running', { id: pending.id }))
      return response.redirect('/platform/backups')
    }
    const backup = await Backup.create({ status: 'queued', trigger: 'manual', requestedBy: admin.id })
    await dispatchBackup(backup)
    await audit({
      tenantId: null,
      action: 'platform.backup_requested',
      subjectType: 'backup',
      subjectId: backup.id,
      actor: { type: 'platform', id: admin.id, label: admin.email },
    })
    session.flash('success', i18n.t('backups.queued', { id: backup.id }))
    return response.redirect('/platform/backups')
  }

  async download({ params, response }: HttpContext) {
    const backup = await Backup.find(params.id)
    if (!backup || backup.status !== 'succeeded' || !backup.diskKey) throw new NotFoundError()
    const { disk } = backupDisk()
    if (!(await disk.exists(backup.diskKey))) throw new NotFoundError()
    const name = backup.diskKey.split('/').pop()!
    response.header('Content-Type', 'application/octet-stream')
    response.header('Content-Disposition', `attachment; filename="${name}"`)
    response.header('Cache-Control', 'no-store')
    if (backup.sizeBytes) response.header('Content-Length', String(backup.sizeBytes))
    return response.stream(await disk.getStream(backup.diskKey))
  }
}

const UNITS = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'] as const

function present({ i18n }: HttpContext, backup: Backup) {
  let size: string | null = null
  if (backup.sizeBytes !== null) {
    const unit = Math.min(UNITS.length - 1, Math.floor(Math.log(Math.max(backup.sizeBytes, 1)) / Math.log(1024)))
    const value = backup.sizeBytes / 1024 ** unit
    size = i18n.formatNumber(value, { style: 'unit', unit: UNITS[unit], maximumFractionDigits: unit ? 1 : 0 })
  }
  return {
    id: backup.id,
    status: backup.status,
    trigger: backup.trigger,
    createdIso: backup.createdAt.toUTC().toISO(),
    created: i18n.formatDate(backup.createdAt.toJSDate(), { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }) + ' UTC',
    duration: backup.durationMs === null ? null : i18n.formatNumber(backup.durationMs / 1000, { style: 'unit', unit: 'second', maximumFractionDigits: 1 }),
    size,
    contents:
      backup.status === 'succeeded'
        ? i18n.t('backups.contents', { tenants: backup.tenantCount ?? 0, rows: backup.rowCount ?? 0, files: backup.fileCount ?? 0 })
        : null,
    checksum: backup.checksum,
    error: backup.error,
    downloadable: backup.status === 'succeeded' && backup.diskKey !== null,
  }
}
