/*
| Router middleware (after the locale is known): a tenant's IP allowlists. /api/v1 answers the
| API-token list with problem+json; the staff UI, sign-in page included, answers the admin UI
| list with an error page. The client-facing portal, health probes and signed provider webhooks are not part of either.
| The client address is request.ip(), which honours X-Forwarded-For only from TRUSTED_PROXIES.
*/
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { DomainError } from '#exceptions/domain_errors'
import { isAllowed, type AllowlistScope } from '#services/ip_allowlist_service'

export class IpNotAllowedError extends DomainError {
  constructor(ip: string) {
    super(`Requests from ${ip} are not allowed for this workspace's API`, {
      code: 'E_IP_NOT_ALLOWED',
      status: 403,
      messageKey: 'security_admin.ip_blocked_body',
    })
  }
}

export function allowlistScopeFor(path: string): AllowlistScope | null {
  if (path.startsWith('/api/v1')) return 'api'
  /*
  | Not the admin UI: incoming provider webhooks come from the provider's addresses and are
  | authenticated by their signature; public pages (/p/: a client opening or paying a document)
  | are reached from the clients' networks and authorised by the unguessable token they carry.
  */
  if (
    path.startsWith('/api/') ||
    path.startsWith('/portal') ||
    path.startsWith('/health/') ||
    path.startsWith('/webhooks/') ||
    path.startsWith('/p/')
  ) {
    return null
  }
  return 'ui'
}

export default class IpAllowlistMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    const scope = ctx.tenant ? allowlistScopeFor(ctx.request.url()) : null
    if (!scope) return next()
    const ip = ctx.request.ip()
    if (await isAllowed(ctx.tenant!.id, scope, ip)) return next()
    ctx.logger.warn({ tenant: ctx.tenant!.slug, ip, scope }, 'request refused by the IP allowlist')
    if (scope === 'api') throw new IpNotAllowedError(ip)
    ctx.response.status(403)
    if (ctx.isHtmx) {
      ctx.response.header('HX-Reswap', 'none')
      return ctx.response.send(ctx.i18n.t('security_admin.ip_blocked_title'))
    }
    ctx.response.header('content-type', 'text/html; charset=utf-8')
    ctx.response.send(await ctx.view.render('pages/errors/ip_not_allowed', { ip }))
  }
}
