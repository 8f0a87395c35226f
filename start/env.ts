/*
| Environment variables, validated at boot. Secrets are declared with Env.schema.secret so they
| are never printed by the logger.
*/
import { Env } from '@adonisjs/core/env'
import { Secret } from '@adonisjs/core/helpers'

export default await Env.create(new URL('../', import.meta.url), {
  NODE_ENV: Env.schema.enum(['development', 'production', 'test'] as const),
  PORT: Env.schema.number(),
  APP_KEY: Env.schema.secret(),
  APP_URL: Env.schema.string({ format: 'url', tld: false }),
  APP_NAME: Env.schema.string.optional(),
  HOST: Env.schema.string({ format: 'host' }),
  LOG_LEVEL: Env.schema.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const),

  /* Tenancy: tenants answer on <slug>.<APP_DOMAIN>; DEFAULT_TENANT serves the bare domain. */
  APP_DOMAIN: Env.schema.string(),
  DEFAULT_TENANT: Env.schema.string.optional(),
  TRUSTED_PROXIES: Env.schema.string.optional(),

  /* Database: sqlite (embedded default) or pg */
  DB_CONNECTION: Env.schema.enum(['sqlite', 'pg'] as const),
  SQLITE_PATH: Env.schema.string.optional(),
  PG_HOST: Env.schema.string.optional(),
  PG_PORT: Env.schema.number.optional(),
  PG_USER: Env.schema.string.optional(),
  PG_PASSWORD: Env.schema.secret.optional(),
  PG_DB_NAME: Env.schema.string.optional(),
  PG_SCHEMA: Env.schema.string.optional(),

  /* Redis: optional; when set, rate limits and health checks use it */
  REDIS_URL: Env.schema.string.optional(),
  REDIS_PREFIX: Env.schema.string.optional(),

  /* Jobs: embedded database queue by default, BullMQ when REDIS_URL is set (see config/jobs.ts) */
  JOBS_DRIVER: Env.schema.enum.optional(['database', 'bullmq'] as const),
  JOBS_IN_PROCESS: Env.schema.boolean.optional(),
  JOBS_REDIS_PREFIX: Env.schema.string.optional(),
  JOBS_LEASE_MS: Env.schema.number.optional(),
  JOBS_POLL_MS: Env.schema.number.optional(),
  JOBS_CONCURRENCY: Env.schema.number.optional(),

  /* /api/v1 rate limits, requests per minute: per access token, and per client IP and tenant */
  API_RATE_LIMIT: Env.schema.number.optional(),
  API_RATE_LIMIT_IP: Env.schema.number.optional(),

  /* redis needs REDIS_URL; revocation and timeouts work with every store (tracked_sessions table) */
  SESSION_DRIVER: Env.schema.enum(['cookie', 'memory', 'database', 'redis'] as const),

  /* Mail: log transport by default; SMTP when SMTP_HOST is set */
  MAIL_FROM: Env.schema.string.optional(),
  SMTP_HOST: Env.schema.string.optional(),
  SMTP_PORT: Env.schema.number.optional(),
  SMTP_USERNAME: Env.schema.string.optional(),
  SMTP_PASSWORD: Env.schema.secret.optional(),

  /* Social sign-in (optional) */
  GOOGLE_CLIENT_ID: Env.schema.string.optional(),
  GOOGLE_CLIENT_SECRET: Env.schema.secret.optional(),
  MICROSOFT_CLIENT_ID: Env.schema.string.optional(),
  MICROSOFT_CLIENT_SECRET: Env.schema.secret.optional(),
  MICROSOFT_TENANT: Env.schema.string.optional(),
  OAUTH_GOOGLE_BASE_URL: Env.schema.string.optional(),
  OAUTH_MICROSOFT_BASE_URL: Env.schema.string.optional(),

  CHROMIUM_PATH: Env.schema.string.optional(),
  /* Pages kept open in the warm PDF browser (one browser per process) */
  PDF_POOL_SIZE: Env.schema.number.optional(),
  /* Files: "fs" (storage/uploads, default) or "s3" (any S3-compatible service) */
  DRIVE_DISK: Env.schema.enum.optional(['fs', 's3'] as const),
  UPLOAD_MAX_BYTES: Env.schema.number.optional(),
  S3_BUCKET: Env.schema.string.optional(),
  S3_REGION: Env.schema.string.optional(),
  S3_ENDPOINT: Env.schema.string.optional(),
  S3_ACCESS_KEY_ID: Env.schema.string.optional(),
  S3_SECRET_ACCESS_KEY: Env.schema.secret.optional(),
  S3_FORCE_PATH_STYLE: Env.schema.boolean.optional(),

  /* Outgoing webhooks: private and loopback targets are refused unless this operator setting allows them */
  WEBHOOKS_ALLOW_PRIVATE_NETWORKS: Env.schema.boolean.optional(),
  WEBHOOKS_ATTEMPTS: Env.schema.number.optional(),
  WEBHOOKS_RETRY_DELAY_MS: Env.schema.number.optional(),
  WEBHOOKS_TIMEOUT_MS: Env.schema.number.optional(),

  /* Backups: BACKUP_KEY is 32 random bytes in base64 (`openssl rand -base64 32`); schedule is cron or "off" */
  BACKUP_KEY: (name: string, value?: string) => {
    if (!value) return undefined
    if (!/^[A-Za-z0-9+/_-]{43}=?$/.test(value) || Buffer.from(value, 'base64').length !== 32) {
      throw new Error(`${name} must be 32 bytes in base64: generate one with \`openssl rand -base64 32\``)
    }
    return new Secret(value)
  },
  BACKUP_SCHEDULE: Env.schema.string.optional(),
  BACKUP_DISK: Env.schema.enum.optional(['fs', 's3'] as const),
  BACKUP_PATH: Env.schema.string.optional(),
  BACKUP_RETAIN_COUNT: Env.schema.number.optional(),
  BACKUP_RETAIN_DAYS: Env.schema.number.optional(),

  /* Payments: Stripe's API base (tests point it at a local fake); default https://api.stripe.com */
  STRIPE_API_BASE: Env.schema.string.optional({ format: 'url', tld: false }),

})
