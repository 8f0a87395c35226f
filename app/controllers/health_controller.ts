import type { HttpContext } from '@adonisjs/core/http'
import db from '@adonisjs/lucid/services/db'
import env from '#start/env'

/** Liveness (process up) and readiness (database, and Redis when configured) */
export default class HealthController {
  async live({ response }: HttpContext) {
    return response.ok({ status: 'ok' })
  }

  async ready({ response }: HttpContext) {
    const checks: Record<string, { status: 'ok' | 'error'; message?: string }> = {}
    try {
      await db.rawQuery('select 1')
      checks.database = { status: 'ok' }
    } catch (error) {
      checks.database = { status: 'error', message: (error as Error).message }
    }
    if (env.get('REDIS_URL')) {
      try {
        const { default: redis } = await import('@adonisjs/redis/services/main')
        await redis.ping()
        checks.redis = { status: 'ok' }
      } catch (error) {
        checks.redis = { status: 'error', message: (error as Error).message }
      }
    }
    const ok = Object.values(checks).every((c) => c.status === 'ok')
    return response.status(ok ? 200 : 503).send({ status: ok ? 'ok' : 'error', checks })
  }
}
