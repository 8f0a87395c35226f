import env from '#start/env'
import app from '@adonisjs/core/services/app'
import { defineConfig, stores } from '@adonisjs/session'

const sessionConfig = defineConfig({
  enabled: true,
  cookieName: 'coderon-session',
  clearWithBrowser: false,
  /*
  | The store's own lifetime, renewed on every request: the longest idle timeout a tenant may set.
  | Each tenant's idle and absolute timeouts are enforced by the tracked-session middleware.
  */
  age: '24h',
  cookie: { path: '/', httpOnly: true, secure: app.inProduction, sameSite: 'lax' },
  store: env.get('SESSION_DRIVER'),
  stores: {
    cookie: stores.cookie(),
    database: stores.database(),
    /* shared by every web process, on the connection of config/redis.ts */
    ...(env.get('REDIS_URL') ? { redis: stores.redis({ connection: 'main' }) } : {}),
  },
})

export default sessionConfig
