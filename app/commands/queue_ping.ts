/*
| `node ace queue:ping --tenant <slug>`: enqueues a no-op job and waits until a worker has run it,
| printing how long that took. Exits non-zero when no worker picks it up in time, which is the
| question an operator has when jobs seem stuck ("is `queue:work` running at all?").
*/
import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

export default class QueuePing extends BaseCommand {
  static commandName = 'queue:ping'
  static description = 'Enqueue a no-op job and wait until a worker has processed it'
  static options: CommandOptions = { startApp: true }

  @flags.string({ description: 'Tenant (slug) the ping job belongs to', required: true })
  declare tenant: string

  @flags.number({ description: 'Seconds to wait for a worker', default: 30 })
  declare timeout: number

  async run() {
    const { default: db } = await import('@adonisjs/lucid/services/db')
    const { default: jobs } = await import('#services/jobs')
    const { default: Tenant } = await import('#models/tenant')
    const { PING_JOB } = await import('#jobs/ping')

    const tenant = await Tenant.findBy('slug', this.tenant)
    if (!tenant) {
      this.logger.error(`Unknown tenant "${this.tenant}"`)
      this.exitCode = 1
      return
    }
    const started = Date.now()
    const id = await jobs.dispatch(PING_JOB, { tenantId: tenant.id, sentAt: started })
    this.logger.info(`enqueued ${PING_JOB} (${id}) on the ${jobs.driverName} driver`)

    const deadline = started + this.timeout * 1000
    while (Date.now() < deadline) {
      const row = await db.from('job_runs').where('id', id).select('status', 'last_error').first()
      if (row?.status === 'completed') {
        this.logger.success(`a worker processed it in ${Date.now() - started} ms`)
        return
      }
      if (row?.status === 'failed' || row?.status === 'discarded') {
        this.logger.error(`the ping job ${row.status}: ${row.last_error ?? 'no error recorded'}`)
        this.exitCode = 1
        return
      }
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
    this.logger.error(`no worker processed the job within ${this.timeout} s: is \`node ace queue:work\` running?`)
    this.exitCode = 1
  }
}
