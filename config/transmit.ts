/*
| Server-Sent Events (notifications and other live updates). With REDIS_URL set, broadcasts go
| through Redis so every web process reaches its own subscribers; otherwise they stay in memory.
*/
import env from '#start/env'
import { defineConfig } from '@adonisjs/transmit'
import { redisOptionsFromUrl } from '#config/redis'
import { redisTransport } from '#services/transmit_redis_transport'

const redisUrl = env.get('REDIS_URL')

export default defineConfig({
  /* keeps proxies from closing idle streams */
  pingInterval: '25s',
  transport: redisUrl
    ? {
        driver: redisTransport(redisOptionsFromUrl(redisUrl)),
        channel: `${env.get('REDIS_PREFIX', 'coderon:')}transmit`,
      }
    : null,
})
