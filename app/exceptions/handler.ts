/*
| Turns errors into responses: RFC 9457 problem+json under /api, pages or HTMX toasts elsewhere.
*/
import app from '@adonisjs/core/services/app'
import { type HttpContext, ExceptionHandler } from '@adonisjs/core/http'
import type { StatusPageRange, StatusPageRenderer } from '@adonisjs/core/types/http'
import { errors as vineErrors } from '@vinejs/vine'
import { errors as authErrors } from '@adonisjs/auth'
import { errors as limiterErrors } from '@adonisjs/limiter'
import { problemFor } from '#api/problem'

export default class HttpExceptionHandler extends ExceptionHandler {
  protected debug = !app.inProduction && !app.inTest
  protected renderStatusPages = true

  protected statusPages: Record<StatusPageRange, StatusPageRenderer> = {
    '403': (error, { view, response }) => {
      response.status(403)
      return view.render('pages/errors/forbidden', { error })
    },
    '404': (error, { view, response }) => {
      response.status(404)
      return view.render('pages/errors/not_found', { error })
    },
    '500..599': (error, { view }) => view.render('pages/errors/server_error', { error }),
  }

  async handle(error: unknown, ctx: HttpContext) {
    if (ctx.request.url().startsWith('/api/')) {
      const problem = problemFor(error, ctx)
      if (problem.status >= 500) ctx.logger.error({ err: error }, 'api request failed')
      if (error instanceof limiterErrors.E_TOO_MANY_REQUESTS) {
        const headers = error.getDefaultHeaders()
        for (const [k, v] of Object.entries(headers)) ctx.response.header(k, v as any)
      }
      return ctx.response
        .status(problem.status)
        .header('content-type', 'application/problem+json')
        .send(JSON.stringify(problem))
    }
    const status = (error as any)?.status
    if (error instanceof vineErrors.E_VALIDATION_ERROR || error instanceof authErrors.E_INVALID_CREDENTIALS) {
      return super.handle(error, ctx)
    }
    if (status === 403 || status === 404) {
      if (ctx.isHtmx) {
        ctx.response.header('HX-Reswap', 'none')
        return ctx.response.status(status).send((error as Error).message)
      }
    }
    return super.handle(error, ctx)
  }

  async report(error: unknown, ctx: HttpContext) {
    return super.report(error, ctx)
  }
}
