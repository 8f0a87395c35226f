import type { HttpContext } from '@adonisjs/core/http'
import vine from '@vinejs/vine'
import { apiRateLimits } from '#api/rate_limit'
import {
  AllowlistLockoutError,
  AllowlistTooLongError,
  MAX_ENTRIES,
  allowlistOf,
  formatAllowlist,
  parseAllowlist,
  replaceAllowlist,
  type AllowlistScope,
} from '#services/ip_allowlist_service'
import { adminPolicyOf, updateAdminPolicy } from '#services/admin_policy_service'
import { refuseForm, validateForm } from '#controllers/settings/form_support'

const PAGE = '/app/settings/security/network'

const limitsValidator = () =>
  vine.compile(
    vine.object({
      apiRateLimitPerToken: vine.number().withoutDecimals().min(1).max(apiRateLimits.perToken).optional(),
      apiRateLimitPerIp: vine.number().withoutDecimals().min(1).max(apiRateLimits.perIp).optional(),
    })
  )

/**
 * Network access (/app/settings/security/network): the admin UI and API IP allowlists and the
 * tenant's API rate limits. Every form posts and redirects, so it works without JavaScript.
 */
export default class SecurityNetworkController {
  async edit(ctx: HttpContext) {
    const tenantId = ctx.tenant!.id
    const flash = ctx.session.flashMessages
    const policy = await adminPolicyOf(tenantId)
    const listText = async (scope: AllowlistScope) => (flash.get(`${scope}_ranges`) as string | undefined) ?? formatAllowlist(await allowlistOf(tenantId, scope))
    return ctx.view.render('pages/settings/security_network', {
      ip: ctx.request.ip(),
      uiRanges: await listText('ui'),
      apiRanges: await listText('api'),
      limits: {
        apiRateLimitPerToken: flash.get('apiRateLimitPerToken') ?? policy.apiRateLimitPerToken ?? '',
        apiRateLimitPerIp: flash.get('apiRateLimitPerIp') ?? policy.apiRateLimitPerIp ?? '',
      },
      defaults: { ...apiRateLimits },
      maxEntries: MAX_ENTRIES,
      canManage: ctx.permissions.has('kernel.settings.manage'),
    })
  }

  updateUi(ctx: HttpContext) {
    return this.updateList(ctx, 'ui')
  }

  updateApi(ctx: HttpContext) {
    return this.updateList(ctx, 'api')
  }

  async updateLimits(ctx: HttpContext) {
    const input = await validateForm<{ apiRateLimitPerToken?: number; apiRateLimitPerIp?: number }>(ctx, limitsValidator(), {
      back: PAGE,
      labels: { apiRateLimitPerToken: 'security_admin.limits_per_token', apiRateLimitPerIp: 'security_admin.limits_per_ip' },
    })
    if (!input) return
    const current = await adminPolicyOf(ctx.tenant!.id)
    await updateAdminPolicy(ctx.tenant!.id, {
      ...current,
      apiRateLimitPerToken: input.apiRateLimitPerToken ?? null,
      apiRateLimitPerIp: input.apiRateLimitPerIp ?? null,
    })
    ctx.session.flash('success', ctx.i18n.t('security_admin.limits_saved'))
    return ctx.response.redirect(PAGE)
  }

  private async updateList(ctx: HttpContext, scope: AllowlistScope) {
    const field = `${scope}_ranges`
    const text = String(ctx.request.input(field) ?? '')
    const refuse = (message: string) => refuseForm(ctx, { [field]: message }, PAGE)
    if (text.length > 20_000) return refuse(ctx.i18n.t('security_admin.allowlist_too_long', { max: MAX_ENTRIES }))
    const { entries, problems } = parseAllowlist(text)
    if (problems.length) {
      return refuse(
        problems
          .slice(0, 5)
          .map((p) =>
            p.reason === 'host_bits'
              ? ctx.i18n.t('security_admin.allowlist_host_bits', { line: p.line, input: p.input, suggestion: p.suggestion })
              : ctx.i18n.t('security_admin.allowlist_invalid', { line: p.line, input: p.input })
          )
          .join(' ')
      )
    }
    try {
      const changed = await replaceAllowlist(ctx.tenant!.id, scope, entries, { currentIp: ctx.request.ip() })
      ctx.session.flash('success', ctx.i18n.t(changed ? `security_admin.${scope}_saved` : 'security_admin.unchanged'))
    } catch (error) {
      if (error instanceof AllowlistLockoutError) return refuse(ctx.i18n.t('security_admin.allowlist_lockout', { ip: error.ip }))
      if (error instanceof AllowlistTooLongError) return refuse(ctx.i18n.t('security_admin.allowlist_too_long', { max: MAX_ENTRIES }))
      throw error
    }
    return ctx.response.redirect(PAGE)
  }
}
