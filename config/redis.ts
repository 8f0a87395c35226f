import env from '#start/env'
import { defineConfig } from '@adonisjs/redis'
import type { InferConnections } from '@adonisjs/redis/types'

/* Used only when REDIS_URL is set (rate limits, readiness check; queues with the services issue) */
const redisConfig = defineConfig({
  connection: 'main',
  connections: {
    main: {
      ...(env.get('REDIS_URL') ? { url: env.get('REDIS_URL') } : { host: '127.0.0.1', port: 6379 }),
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
