import app from '@adonisjs/core/services/app'
import { defineConfig } from '@adonisjs/shield'

const shieldConfig = defineConfig({
  /* Nonce-based CSP: no unsafe-inline, no unsafe-eval (Alpine runs its CSP build) */
  csp: {
    enabled: true,
    directives: {
      defaultSrc: [`'self'`],
      scriptSrc: [`'self'`, '@nonce'],
      styleSrc: [`'self'`, '@nonce'],
      imgSrc: [`'self'`, 'data:', 'https:'],
      fontSrc: [`'self'`],
      connectSrc: [`'self'`],
      frameAncestors: [`'none'`],
      formAction: [`'self'`],
      baseUri: [`'self'`],
      objectSrc: [`'none'`],
    },
    reportOnly: false,
  },
  csrf: {
    enabled: true,
    /* The API authenticates with bearer tokens, not cookies, so it has no CSRF exposure */
    /* Stripe's webhooks are authenticated by their signature (payments plugin) */
    exceptRoutes: (ctx) => ctx.request.url().startsWith('/api/') || ctx.request.url() === '/webhooks/stripe',
    enableXsrfCookie: false,
    methods: ['POST', 'PUT', 'PATCH', 'DELETE'],
  },
  xFrame: { enabled: true, action: 'DENY' },
  hsts: { enabled: app.inProduction, maxAge: '180 days', includeSubDomains: true },
  contentTypeSniffing: { enabled: true },
})

export default shieldConfig
