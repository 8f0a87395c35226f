/*
| Redis pub/sub transport for @adonisjs/transmit, so a broadcast from any process (a web process,
| a queue worker) reaches the SSE subscribers of every web process. Written against the
| project's ioredis (the transport bundled with @boringnode/bus wants an older major).
*/
import { Redis, type RedisOptions } from 'ioredis'

type Handler = (payload: any) => void

export class RedisTransport {
  #publisher: Redis
  #subscriber: Redis
  #handlers = new Map<string, Handler[]>()
  #id = ''

  constructor(options: RedisOptions) {
    this.#publisher = new Redis(options)
    this.#subscriber = new Redis(options)
    this.#subscriber.on('message', (channel: string, message: string) => this.#receive(channel, message))
  }

  setId(id: string) {
    this.#id = id
    return this
  }

  onReconnect(callback: () => void) {
    this.#subscriber.on('reconnecting', callback)
  }

  async publish(channel: string, payload: unknown) {
    await this.#publisher.publish(channel, JSON.stringify({ busId: this.#id, payload }))
  }

  async subscribe(channel: string, handler: Handler) {
    this.#handlers.set(channel, [...(this.#handlers.get(channel) ?? []), handler])
    await this.#subscriber.subscribe(channel)
  }

  async unsubscribe(channel: string) {
    await this.#subscriber.unsubscribe(channel)
    this.#handlers.delete(channel)
  }

  async disconnect() {
    await Promise.all([this.#publisher.quit(), this.#subscriber.quit()])
  }

  #receive(channel: string, message: string) {
    const handlers = this.#handlers.get(channel)
    if (!handlers) return
    let data: { busId?: string; payload?: unknown }
    try {
      data = JSON.parse(message)
    } catch {
      return
    }
    /* our own broadcasts were already delivered locally */
    if (!data || data.busId === this.#id) return
    for (const handler of handlers) handler(data.payload)
  }
}

export function redisTransport(options: RedisOptions) {
  return () => new RedisTransport(options)
}
