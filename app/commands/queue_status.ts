/*
| `node ace queue:status [--tenant <slug>]`: jobs per queue and status from job_runs (both
| drivers), the oldest due job's wait, and with BullMQ the counts Redis holds.
*/
import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

export default class QueueStatus extends BaseCommand {
  static commandName = 'queue:status'
  static description = 'Show queued, running, failed and completed jobs per queue'
  static options: CommandOptions = { startApp: true }

  @flags.string({ description: 'Only the jobs of this tenant (slug)' })
  declare tenant?: string

  async run() {
    const { default: db } = await import('@adonisjs/lucid/services/db')
    const { default: jobs } = await import('#services/jobs')
    const { default: Tenant } = await import('#models/tenant')
    const { JOB_STATUSES } = await import('#jobs/types')

    const query = db.from('job_runs').select('queue', 'status').count('* as total').groupBy('queue', 'status')
    const due = db.from('job_runs').where('status', 'queued').where('run_at', '<=', Date.now()).min('run_at as oldest')
    if (this.tenant !== undefined) {
      const tenant = await Tenant.findBy('slug', this.tenant)
      if (!tenant) {
        this.logger.error(`Unknown tenant "${this.tenant}"`)
        this.exitCode = 1
        return
      }
      query.where('tenant_id', tenant.id)
      due.where('tenant_id', tenant.id)
    }

    const counts = new Map<string, Record<string, number>>()
    for (const row of await query) {
      const perStatus = counts.get(row.queue) ?? {}
      perStatus[row.status] = Number(row.total)
      counts.set(row.queue, perStatus)
    }
    this.logger.info(`driver: ${jobs.driverName}`)
    const table = this.ui.table()
    table.head(['Queue', ...JOB_STATUSES])
    for (const [queue, perStatus] of counts) {
      table.row([queue, ...JOB_STATUSES.map((s) => String(perStatus[s] ?? 0))])
    }
    if (!counts.size) table.row(['(no jobs)', ...JOB_STATUSES.map(() => '0')])
    table.render()

    const oldest = (await due)[0]?.oldest
    this.logger.info(
      oldest ? `oldest due job has waited ${Math.round((Date.now() - Number(oldest)) / 1000)} s` : 'no job is waiting'
    )

    if (jobs.driverName === 'bullmq') {
      const { BullMQDriver } = await import('#jobs/bullmq_driver')
      const { default: jobsConfig } = await import('#config/jobs')
      const driver = new BullMQDriver(jobs.registry, jobsConfig)
      try {
        const redis = this.ui.table()
        redis.head(['Queue (Redis)', 'wait', 'active', 'delayed', 'failed', 'completed'])
        for (const [queue, c] of Object.entries(await driver.redisCounts())) {
          redis.row([queue, ...['wait', 'active', 'delayed', 'failed', 'completed'].map((k) => String(c[k] ?? 0))])
        }
        redis.render()
      } finally {
        await driver.close()
      }
    }
  }
}
