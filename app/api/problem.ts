/*
| RFC 9457 problem details. Every API error answers with one, carrying a stable `code`.
*/
import type { HttpContext } from '@adonisjs/core/http'
import router from '@adonisjs/core/services/router'
import { errors as vineErrors } from '@vinejs/vine'
import { errors as limiterErrors } from '@adonisjs/limiter'
import { errors as authErrors } from '@adonisjs/auth'

export interface Problem {
  type: string
  title: string
  status: number
  detail?: string
  code: string
  instance?: string
  errors?: Array<{ field: string; message: string; rule: string }>
  [key: string]: unknown
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
}

export const PROBLEM_BASE = 'https://coderon.dev/problems/'

export function problem(status: number, code: string, detail?: string, extra: Record<string, unknown> = {}): Problem {
  return {
    type: PROBLEM_BASE + code.replace(/^E_/, '').toLowerCase().replace(/_/g, '-'),
    title: TITLES[status] ?? 'Error',
    status,
    code,
    ...(detail ? { detail } : {}),
    ...extra,
  }
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']

/** Methods another route answers on this path: the router itself only says "not found" */
function allowedMethods(ctx: HttpContext) {
  const path = ctx.request.url()
  return METHODS.filter((method) => router.match(path, method, false, ctx.request.hostname()))
}

export function problemFor(error: unknown, ctx: HttpContext): Problem {
  const instance = ctx.request.url()
  if (error instanceof vineErrors.E_VALIDATION_ERROR) {
    const messages = (error as any).messages as Array<{ field: string; message: string; rule: string }>
    return {
      ...problem(422, 'E_VALIDATION_ERROR', 'The request body has invalid fields', { instance }),
      errors: messages.map((m) => ({ field: m.field, message: m.message, rule: m.rule })),
    }
  }
  if (error instanceof limiterErrors.E_TOO_MANY_REQUESTS) {
    return problem(429, 'E_TOO_MANY_REQUESTS', 'Rate limit exceeded; retry later', { instance })
  }
  if (error instanceof authErrors.E_UNAUTHORIZED_ACCESS) {
    return problem(401, 'E_UNAUTHORIZED', 'A valid bearer token is required', { instance })
  }
  const e = error as { status?: number; code?: string; message?: string }
  const status = typeof e?.status === 'number' && e.status >= 400 && e.status < 600 ? e.status : 500
  if (status >= 500) return problem(500, 'E_INTERNAL', 'An unexpected error occurred', { instance })
  if (e?.code === 'E_ROUTE_NOT_FOUND') {
    const allow = allowedMethods(ctx)
    if (allow.length) {
      ctx.response.header('Allow', allow.join(', '))
      return problem(405, 'E_METHOD_NOT_ALLOWED', `Use ${allow.join(', ')} on this path`, { instance })
    }
    return problem(404, 'E_NOT_FOUND', 'No API route matches this path', { instance })
  }
  /* The bodyparser rethrows JSON.parse's SyntaxError with a 400; non-object JSON comes as a 422 */
  if ((status === 400 && error instanceof SyntaxError) || (error as any)?.type === 'entity.parse.failed') {
    return problem(400, 'E_MALFORMED_JSON', 'The request body is not valid JSON', { instance })
  }
  if (status === 422 && e?.message?.startsWith('Invalid JSON')) {
    return problem(400, 'E_MALFORMED_JSON', 'The request body must be a JSON object or array', { instance })
  }
  const code = e?.code && /^E_[A-Z_]+$/.test(e.code) ? e.code : `E_HTTP_${status}`
  return problem(status, code, e?.message, { instance })
}
