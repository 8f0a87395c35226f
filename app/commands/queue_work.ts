/*
| `node ace queue:work [--queue=default --queue=mail] [--no-scheduler]`: a worker process that
| runs jobs, cron schedules and the outbox relay. SIGTERM or SIGINT: it takes no new job, lets the
| ones in flight finish, then exits.
*/
import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

export default class QueueWork extends BaseCommand {
  static commandName = 'queue:work'
  static description = 'Run background jobs and schedules until stopped (SIGTERM finishes the jobs in flight first)'
  static options: CommandOptions = { startApp: true, staysAlive: true }

  @flags.array({ description: 'Queues to consume (default: every configured queue)' })
  declare queue?: string[]

  @flags.boolean({ description: 'Run cron schedules and the outbox relay here too', default: true })
  declare scheduler: boolean

  async run() {
    const { default: jobs } = await import('#services/jobs')
    const worker = await jobs.work({ queues: this.queue, scheduler: this.scheduler })
    this.logger.info(`queue:work started (driver ${jobs.driverName}, pid ${process.pid})`)

    let stopping = false
    this.app.terminating(async () => {
      stopping = true
      await worker.stop()
      this.logger.info('queue:work stopped')
    })
    process.once('SIGINT', () => {
      if (!stopping) void this.app.terminate()
    })
  }
}
