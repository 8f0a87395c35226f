/*
| Login throttling per account and per IP with growing back-off, on @adonisjs/limiter (memory,
| database or Redis store as configured).
*/
import limiter from '@adonisjs/limiter/services/main'

const PER_ACCOUNT = 5
const PER_IP = 20

function accountLimiter() {
  return limiter.use({ requests: PER_ACCOUNT, duration: '15 mins', blockDuration: '15 mins' })
}
function ipLimiter() {
  return limiter.use({ requests: PER_IP, duration: '15 mins', blockDuration: '30 mins' })
}

export const loginThrottle = {
  async check(email: string, ip: string) {
    const [a, i] = await Promise.all([
      accountLimiter().availableIn(`login_account_${email}`),
      ipLimiter().availableIn(`login_ip_${ip}`),
    ])
    const acc = await accountLimiter().remaining(`login_account_${email}`)
    const ipr = await ipLimiter().remaining(`login_ip_${ip}`)
    const blocked = acc <= 0 || ipr <= 0
    return { blocked, retryAfter: Math.max(a, i) }
  },
  async fail(email: string, ip: string) {
    await Promise.all([
      accountLimiter().increment(`login_account_${email}`),
      ipLimiter().increment(`login_ip_${ip}`),
    ])
  },
  async clear(email: string, _ip: string) {
    await accountLimiter().delete(`login_account_${email}`)
  },
}
