/*
| Settings pages: shares the settings sub-navigation (the `settings.sections` hook, filtered by
| the viewer's permissions) and which section the URL belongs to. Runs after `auth`.
*/
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { settingsSections } from '#services/shell_service'

export default class SettingsNavMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    if ('view' in ctx) {
      const sections = await settingsSections(ctx)
      const url = ctx.request.url()
      const active = sections
        .filter((s) => url === s.href || url.startsWith(`${s.href}/`))
        .sort((a, b) => b.href.length - a.href.length)[0]
      ctx.view.share({ settingsNav: sections, settingsActive: active?.id ?? null })
    }
    return next()
  }
}
