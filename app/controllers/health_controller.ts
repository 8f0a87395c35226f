import type { HttpContext } from '@adonisjs/core/http'
import { readiness } from '#services/health_service'

/**
 * Liveness (the process answers) and readiness (its database, and Redis when configured, answer).
 * Neither needs a tenant; both are safe to expose to a load balancer.
 */
export default class HealthController {
  async live({ response }: HttpContext) {
    response.header('cache-control', 'no-store')
    return response.ok({ status: 'ok' })
  }

  async ready({ response }: HttpContext) {
    const report = await readiness()
    response.header('cache-control', 'no-store')
    return response.status(report.status === 'ok' ? 200 : 503).send(report)
  }
}
