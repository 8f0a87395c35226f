import env from '#start/env'
import app from '@adonisjs/core/services/app'
import { defineConfig } from '@adonisjs/core/http'
import proxyAddr from 'proxy-addr'

export const appUrl = env.get('APP_URL')

const trustedProxies = (env.get('TRUSTED_PROXIES') || '')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean)

export const http = defineConfig({
  generateRequestId: true,
  allowMethodSpoofing: true,
  useAsyncLocalStorage: true,
  /* X-Forwarded-For is honoured only from the configured proxies */
  trustProxy: proxyAddr.compile(trustedProxies.length ? trustedProxies : []),
  cookie: {
    domain: '',
    path: '/',
    maxAge: '2h',
    httpOnly: true,
    secure: app.inProduction,
    sameSite: 'lax',
  },
})
