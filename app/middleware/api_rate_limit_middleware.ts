/*
| Server middleware: the per-IP budget for everything under /api/, matched route or not, so
| unknown paths and failed authentications are limited as well. The per-token budget is taken by
| the `api` middleware once the token is known.
*/
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { consumeIpBudget } from '#api/rate_limit'

export default class ApiRateLimitMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    if (ctx.request.url().startsWith('/api/')) await consumeIpBudget(ctx)
    return next()
  }
}
