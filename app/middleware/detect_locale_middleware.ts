/*
| Picks the UI language (user's choice, else the tenant's, else Accept-Language), checks the
| staff session silently, and shares i18n and the tenant with views.
*/
import i18nManager from '@adonisjs/i18n/services/main'
import type { I18n } from '@adonisjs/i18n'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'

declare module '@adonisjs/core/http' {
  interface HttpContext {
    i18n: I18n
  }
}

export default class DetectLocaleMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    if (ctx.tenant && !ctx.request.url().startsWith('/api/')) {
      const user = await ctx.auth.use('web').check().then(() => ctx.auth.use('web').user)
      if (user && user.status !== 'active') await ctx.auth.use('web').logout()
    }
    const user = ctx.auth.use('web').user
    /* The user's own choice, then the browser's languages, then the tenant's default */
    const explicit = ctx.request.qs().lang || user?.locale || ctx.session?.get('locale')
    const locale =
      (explicit && i18nManager.getSupportedLocaleFor(explicit)) ||
      (ctx.request.header('accept-language') &&
        i18nManager.getSupportedLocaleFor(ctx.request.languages())) ||
      (ctx.tenant && i18nManager.getSupportedLocaleFor(ctx.tenant.locale)) ||
      i18nManager.defaultLocale
    ctx.i18n = i18nManager.locale(locale)
    ctx.containerResolver.bindValue('i18n' as any, ctx.i18n)
    if ('view' in ctx) {
      ctx.view.share({ i18n: ctx.i18n, tenant: ctx.tenant, locale })
    }
    return next()
  }
}
