import env from '#start/env'
import { defineConfig, services } from '@adonisjs/ally'

/* Social sign-in providers, each active only when its client id is configured */
const allyConfig = defineConfig({
  ...(env.get('GOOGLE_CLIENT_ID')
    ? {
        google: services.google({
          clientId: env.get('GOOGLE_CLIENT_ID')!,
          clientSecret: env.get('GOOGLE_CLIENT_SECRET')?.release() ?? '',
          callbackUrl: '/auth/google/callback',
        }),
      }
    : {}),
})

export default allyConfig
