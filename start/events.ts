/*
| Application event listeners.
*/
import app from '@adonisjs/core/services/app'
import emitter from '@adonisjs/core/services/emitter'
import logger from '@adonisjs/core/services/logger'
import { writeMailToDisk } from '#services/mail_service'

/* Without SMTP, developers read reset and invitation links from storage/mail and the log */
emitter.on('mail:sent', async ({ mailerName, message }) => {
  if (mailerName !== 'log' || app.inTest) return
  const written = await writeMailToDisk(message, app.makePath('storage/mail'))
  logger.info({ to: written.to, subject: written.subject, file: written.file, link: written.link }, 'mail written to disk')
})

emitter.on('queued:mail:error', ({ error, mailerName }) => {
  logger.error({ err: error, mailer: mailerName }, 'sending a queued mail failed')
})
