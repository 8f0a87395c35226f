/*
| Readiness checks behind /health/ready: the primary database connection, and Redis when
| REDIS_URL is set. Every check has a time limit, so an unreachable dependency answers 503 within
| seconds instead of hanging the probe. The public report carries a fixed message and an error
| code per check, never a host, URL or credential; the full error goes to the log.
*/
import { BaseCheck, HealthChecks, Result } from '@adonisjs/core/health'
import logger from '@adonisjs/core/services/logger'
import db from '@adonisjs/lucid/services/db'
import redis from '@adonisjs/redis/services/main'
import env from '#start/env'

export const CHECK_TIMEOUT_MS = 2000

export type ReadinessReport = {
  status: 'ok' | 'error'
  checks: { name: string; status: 'ok' | 'warning' | 'error'; message: string; code?: string }[]
}

class CheckTimeoutError extends Error {
  code = 'ETIMEOUT'
}

function withTimeout<T>(work: PromiseLike<T>): Promise<T> {
  let timer: NodeJS.Timeout
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CheckTimeoutError()), CHECK_TIMEOUT_MS)
  })
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer))
}

/** Driver error codes (ECONNREFUSED, 28P01, SQLITE_CANTOPEN) are safe to show; messages are not */
function safeCode(error: unknown): string {
  const code = (error as { code?: unknown })?.code
  return typeof code === 'string' && /^[A-Z0-9_]{2,40}$/.test(code) ? code : 'UNKNOWN'
}

function failed(check: string, message: string, error: unknown) {
  logger.warn({ err: error, check }, `readiness check failed: ${message}`)
  const code = error instanceof CheckTimeoutError ? 'ETIMEOUT' : safeCode(error)
  const text = error instanceof CheckTimeoutError ? `no answer within ${CHECK_TIMEOUT_MS} ms` : message
  return Result.failed(text).setMetaData({ code })
}

class DatabaseCheck extends BaseCheck {
  name = 'database'

  async run() {
    try {
      await withTimeout(db.connection().rawQuery('select 1'))
      return Result.ok('reachable')
    } catch (error) {
      return failed(this.name, 'database unreachable', error)
    }
  }
}

class RedisCheck extends BaseCheck {
  name = 'redis'

  async run() {
    const connection = redis.connection('main')
    const io = connection.ioConnection
    /*
     * ioredis queues commands while it retries, so a refused connection would only show as a
     * timeout: the first connection error answers instead.
     */
    let onError!: (error: Error) => void
    const connectionError = new Promise<never>((_, reject) => {
      onError = reject
      io.once('error', onError)
    })
    try {
      /* A connection that gave up retrying stays closed until asked to connect again */
      if (connection.isClosed()) io.connect().catch(() => {})
      await withTimeout(Promise.race([connection.ping(), connectionError]))
      return Result.ok('reachable')
    } catch (error) {
      return failed(this.name, 'redis unreachable', error)
    } finally {
      io.off('error', onError)
    }
  }
}

export async function readiness(): Promise<ReadinessReport> {
  const checks = new HealthChecks().register([
    new DatabaseCheck(),
    ...(env.get('REDIS_URL') ? [new RedisCheck()] : []),
  ])
  const report = await checks.run()
  return {
    status: report.isHealthy ? 'ok' : 'error',
    checks: report.checks.map((check) => ({
      name: check.name,
      status: check.status,
      message: check.message,
      ...(check.meta?.code ? { code: String(check.meta.code) } : {}),
    })),
  }
}
