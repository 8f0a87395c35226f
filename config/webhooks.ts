/*
| Outgoing webhooks. Retries back off exponentially: with the defaults (12 attempts, first wait
| 60 s doubling) the last attempt comes about 34 hours after the first, past the 24 hours the
| Standard Webhooks guidance asks for.
*/
import env from '#start/env'

const webhooksConfig = {
  /* Operator setting: allow endpoints on loopback/private/link-local addresses (tests, intranets) */
  allowPrivateNetworks: env.get('WEBHOOKS_ALLOW_PRIVATE_NETWORKS', false),
  attempts: env.get('WEBHOOKS_ATTEMPTS', 12),
  retryDelayMs: env.get('WEBHOOKS_RETRY_DELAY_MS', 60_000),
  timeoutMs: env.get('WEBHOOKS_TIMEOUT_MS', 15_000),
  /* bytes of a response body kept in the delivery log */
  responseLogBytes: 4096,
  userAgent: 'CoderonFlow-Webhooks/1.0',
}

export default webhooksConfig
