/*
| A webhook receiver on loopback for tests and benchmarks: records every request, can fail the
| first N requests of each message, and dedupes on the webhook-id header like a real receiver.
*/
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface ReceivedRequest {
  headers: Record<string, string>
  body: string
  answered: number
}

export interface ReceiverOptions {
  /** answer 500 to the first N requests of each webhook-id */
  failFirst?: number
  /** status for every request (overrides failFirst) */
  status?: number
}

export interface WebhookReceiver {
  url: string
  port: number
  requests: ReceivedRequest[]
  /** webhook-ids processed once each (2xx answered, duplicates dropped) */
  accepted: Map<string, ReceivedRequest>
  /** deliveries of an already accepted webhook-id */
  duplicates: number
  options: ReceiverOptions
  close(): Promise<void>
}

function readBody(request: IncomingMessage) {
  return new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = []
    request.on('data', (c: Buffer) => chunks.push(c))
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    request.on('error', reject)
  })
}

export async function startReceiver(options: ReceiverOptions = {}): Promise<WebhookReceiver> {
  const seen = new Map<string, number>()
  const receiver = {
    requests: [] as ReceivedRequest[],
    accepted: new Map<string, ReceivedRequest>(),
    duplicates: 0,
    options,
  } as WebhookReceiver
  const server: Server = createServer(async (request, response) => {
    const body = await readBody(request)
    const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, String(v)]))
    const id = headers['webhook-id'] ?? ''
    const count = (seen.get(id) ?? 0) + 1
    seen.set(id, count)
    const status = receiver.options.status ?? (count <= (receiver.options.failFirst ?? 0) ? 500 : 200)
    const entry = { headers, body, answered: status }
    receiver.requests.push(entry)
    if (status >= 200 && status < 300) {
      if (receiver.accepted.has(id)) receiver.duplicates++
      else receiver.accepted.set(id, entry)
    }
    response.writeHead(status, { 'content-type': 'application/json' })
    response.end(JSON.stringify({ ok: status < 300, seen: count }))
  })
  server.keepAliveTimeout = 1000
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  receiver.port = port
  receiver.url = `http://127.0.0.1:${port}/hooks`
  receiver.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    })
  return receiver
}
