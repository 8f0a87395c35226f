/*
| HTMX awareness: one URL answers a full page or, for an HX-Request, its fragment; caches must
| key on that header.
*/
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'

declare module '@adonisjs/core/http' {
  interface HttpContext {
    isHtmx: boolean
  }
}

export default class HtmxMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    ctx.isHtmx = ctx.request.header('hx-request') === 'true'
    ctx.response.append('Vary', 'HX-Request')
    if ('view' in ctx) ctx.view.share({ isHtmx: ctx.isHtmx })
    return next()
  }
}
