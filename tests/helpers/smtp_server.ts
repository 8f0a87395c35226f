/*
| A real SMTP server on loopback for tests (the `smtp-server` package): accepts every message,
| with or without AUTH, and keeps each one parsed (mailparser) for assertions.
*/
import { SMTPServer } from 'smtp-server'
import { simpleParser, type ParsedMail } from 'mailparser'
import type { AddressInfo } from 'node:net'

export interface ReceivedMail {
  envelope: { from: string; to: string[] }
  auth: { username: string; password: string } | null
  parsed: ParsedMail
  raw: string
}

export interface TestSmtpServer {
  host: string
  port: number
  mails: ReceivedMail[]
  close(): Promise<void>
}

export async function startSmtpServer(options: { username?: string; password?: string } = {}): Promise<TestSmtpServer> {
  const mails: ReceivedMail[] = []
  const auths = new Map<string, { username: string; password: string }>()
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    authOptional: !options.username,
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, session, callback) {
      if (auth.username === options.username && auth.password === options.password) {
        auths.set(session.id, { username: auth.username!, password: auth.password! })
        return callback(null, { user: auth.username })
      }
      return callback(new Error('Invalid username or password'))
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', async () => {
        const raw = Buffer.concat(chunks)
        mails.push({
          envelope: {
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
          },
          auth: auths.get(session.id) ?? null,
          parsed: await simpleParser(raw),
          raw: raw.toString('utf8'),
        })
        callback()
      })
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  const port = (server.server.address() as AddressInfo).port
  return {
    host: '127.0.0.1',
    port,
    mails,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
