import env from '#start/env'
import { defineConfig } from '@adonisjs/redis'
import type { InferConnections } from '@adonisjs/redis/types'

/* ioredis ignores a `url` option, so REDIS_URL (redis[s]://[user:password@]host[:port][/db]) is split here */
export function redisOptionsFromUrl(value: string) {
  const url = new URL(value)
  return {
    host: url.hostname,
    port: Number(url.port || 6379),
    username: decodeURIComponent(url.username) || undefined,
    password: decodeURIComponent(url.password) || undefined,
    db: Number(url.pathname.slice(1) || 0),
    ...(url.protocol === 'rediss:' ? { tls: {} } : {}),
  }
}

/* Used only when REDIS_URL is set (rate limits, readiness check; queues with the services issue) */
const redisConfig = defineConfig({
  connection: 'main',
  connections: {
    main: {
      ...(env.get('REDIS_URL') ? redisOptionsFromUrl(env.get('REDIS_URL')!) : { host: '127.0.0.1', port: 6379 }),
      lazyConnect: true,
      keyPrefix: env.get('REDIS_PREFIX', 'coderon:'),
      retryStrategy(times: number) {
        return times > 10 ? null : times * 50
      },
    } as any,
  },
})

export default redisConfig

declare module '@adonisjs/redis/types' {
  export interface RedisConnections extends InferConnections<typeof redisConfig> {}
}
