import env from '#start/env'
import { defineConfig, transports } from '@adonisjs/mail'
import { JSONTransport } from '@adonisjs/mail/transports/json'

/*
| SMTP when SMTP_HOST is set. Otherwise the "log" mailer renders each message to JSON; a listener
| in start/events.ts writes it to storage/mail/ and the log, so development needs no mail server.
*/
const mailConfig = defineConfig({
  default: env.get('SMTP_HOST') ? 'smtp' : 'log',
  from: env.get('MAIL_FROM', 'Coderon Flow <no-reply@localhost>'),
  mailers: {
    smtp: transports.smtp({
      host: env.get('SMTP_HOST', 'localhost'),
      port: env.get('SMTP_PORT', 587),
      ...(env.get('SMTP_USERNAME')
        ? {
            auth: {
              type: 'login' as const,
              user: env.get('SMTP_USERNAME')!,
              pass: env.get('SMTP_PASSWORD')?.release() ?? '',
            },
          }
        : {}),
    }),
    log: () => new JSONTransport(),
  },
})

export default mailConfig

declare module '@adonisjs/mail/types' {
  export interface MailersList extends InferMailers<typeof mailConfig> {}
}
