/*
| Login throttling per account and per IP with growing back-off, on @adonisjs/limiter (memory,
| database or Redis store as configured). Keys carry a scope (the tenant id, or "platform"):
| the same address in two tenants is two accounts, and one tenant's traffic cannot lock out
| another's.
*/
import limiter from '@adonisjs/limiter/services/main'
import logger from '@adonisjs/core/services/logger'
import { notifyLockout } from '#services/login_lockout_notice'

const PER_ACCOUNT = 5
const PER_IP = 20
const ACCOUNT_LOCK_MINUTES = 15

function accountLimiter() {
  return limiter.use({ requests: PER_ACCOUNT, duration: '15 mins', blockDuration: `${ACCOUNT_LOCK_MINUTES} mins` })
}
function ipLimiter() {
  return limiter.use({ requests: PER_IP, duration: '15 mins', blockDuration: '30 mins' })
}

export type ThrottleScope = number | 'platform'

const accountKey = (scope: ThrottleScope, email: string) => `login_account_${scope}_${email.toLowerCase()}`
const ipKey = (scope: ThrottleScope, ip: string) => `login_ip_${scope}_${ip}`

export const loginThrottle = {
  async check(scope: ThrottleScope, email: string, ip: string) {
    const [accountLeft, ipLeft] = await Promise.all([
      accountLimiter().remaining(accountKey(scope, email)),
      ipLimiter().remaining(ipKey(scope, ip)),
    ])
    if (accountLeft > 0 && ipLeft > 0) return { blocked: false, retryAfter: 0 }
    const [a, i] = await Promise.all([
      accountLimiter().availableIn(accountKey(scope, email)),
      ipLimiter().availableIn(ipKey(scope, ip)),
    ])
    return { blocked: true, retryAfter: Math.max(a, i, 1) }
  },
  async fail(scope: ThrottleScope, email: string, ip: string) {
    await Promise.all([
      accountLimiter().increment(accountKey(scope, email)),
      ipLimiter().increment(ipKey(scope, ip)),
    ])
    /* This failure locked a staff account: tell its owner (a failed notice must not fail the sign-in answer) */
    if (scope !== 'platform' && (await accountLimiter().remaining(accountKey(scope, email))) <= 0) {
      await notifyLockout({ tenantId: scope, email, ip, attempts: PER_ACCOUNT, lockMinutes: ACCOUNT_LOCK_MINUTES }).catch((error) =>
        logger.error({ err: error, tenantId: scope }, 'lockout notice failed')
      )
    }
  },
  /* A success resets the account's count only: the IP count keeps limiting password spraying */
  async clear(scope: ThrottleScope, email: string) {
    await accountLimiter().delete(accountKey(scope, email))
  },
}
