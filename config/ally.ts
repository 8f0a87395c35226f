import env from '#start/env'
import type { HttpContext } from '@adonisjs/core/http'
import { defineConfig } from '@adonisjs/ally'
import type { InferSocialProviders } from '@adonisjs/ally/types'
import { GoogleDriver } from '@adonisjs/ally/drivers/google'
import { MicrosoftDriver } from '#services/microsoft_ally_driver'

/*
| Social sign-in. Both providers are always registered; the settings are read per request, and
| app/services/social_auth_service.ts decides which are configured (client id and secret set).
| The callback goes back to the host the user started on, where the state cookie lives; each
| tenant host must be a registered redirect URI at the provider.
*/
function callbackUrl(ctx: HttpContext, provider: string) {
  return `${ctx.request.protocol()}://${ctx.request.host()}/auth/${provider}/callback`
}

const allyConfig = defineConfig({
  google: (ctx: HttpContext) => {
    const base = env.get('OAUTH_GOOGLE_BASE_URL')?.replace(/\/$/, '')
    return new GoogleDriver(ctx, {
      clientId: env.get('GOOGLE_CLIENT_ID') ?? '',
      clientSecret: env.get('GOOGLE_CLIENT_SECRET')?.release() ?? '',
      callbackUrl: callbackUrl(ctx, 'google'),
      scopes: ['openid', 'userinfo.email', 'userinfo.profile'],
      prompt: 'select_account',
      ...(base
        ? {
            authorizeUrl: `${base}/o/oauth2/v2/auth`,
            accessTokenUrl: `${base}/token`,
            userInfoUrl: `${base}/oauth2/v3/userinfo`,
          }
        : {}),
    })
  },
  microsoft: (ctx: HttpContext) => {
    const base = env.get('OAUTH_MICROSOFT_BASE_URL')?.replace(/\/$/, '')
    return new MicrosoftDriver(ctx, {
      clientId: env.get('MICROSOFT_CLIENT_ID') ?? '',
      clientSecret: env.get('MICROSOFT_CLIENT_SECRET')?.release() ?? '',
      callbackUrl: callbackUrl(ctx, 'microsoft'),
      tenant: env.get('MICROSOFT_TENANT') || 'common',
      prompt: 'select_account',
      ...(base ? { loginBaseUrl: base, graphBaseUrl: base } : {}),
    })
  },
})

export default allyConfig

declare module '@adonisjs/ally/types' {
  interface SocialProviders extends InferSocialProviders<typeof allyConfig> {}
}
