import type { HttpContext } from '@adonisjs/core/http'
import { errors as vineErrors } from '@vinejs/vine'
import type User from '#models/user'
import { createTokenValidator, EXPIRY_CHOICES } from '#validators/token'
import {
  createToken,
  holdsEverything,
  InvalidScopesError,
  listTokens,
  revokeToken,
  scopeGroups,
} from '#services/token_service'
import { DomainError } from '#exceptions/domain_errors'

const PAGE = '/app/settings/tokens'

/** An HTMX request that swaps a fragment (not a boosted page load) */
function wantsFragment(ctx: HttpContext) {
  return ctx.isHtmx && ctx.request.header('hx-request-type') === 'partial'
}

/** Tokens with their dates formatted for the viewer, in the tenant's time zone */
async function presentTokens(ctx: HttpContext, user: User) {
  const format = (iso: string | null) =>
    iso ? ctx.i18n.formatDate(new Date(iso), { dateStyle: 'medium', timeStyle: 'short', timeZone: ctx.tenant!.timezone }) : null
  const now = Date.now()
  return (await listTokens(user)).map((token) => ({
    ...token,
    createdLabel: format(token.created_at),
    lastUsedLabel: format(token.last_used_at),
    expiresLabel: format(token.expires_at),
    expired: token.expires_at !== null && Date.parse(token.expires_at) <= now,
  }))
}

/** Settings → API tokens: the signed-in user's own personal access tokens */
export default class TokensController {
  async index(ctx: HttpContext) {
    const user = ctx.auth.use('web').user as User
    return ctx.view.render('pages/settings/tokens', {
      tokens: await presentTokens(ctx, user),
      groups: scopeGroups(ctx.permissions, ctx.enabledPlugins),
      everything: holdsEverything(ctx.permissions, ctx.enabledPlugins),
      expiryOptions: [
        { value: '', label: ctx.i18n.t('tokens.expiry_never') },
        ...EXPIRY_CHOICES.map((days) => ({ value: days, label: ctx.i18n.t('tokens.expiry_days', { days }) })),
      ],
      created: ctx.session.flashMessages.get('createdToken') ?? null,
      oldScopes: [].concat(ctx.session.flashMessages.get('scopes') ?? []),
    })
  }

  async store(ctx: HttpContext) {
    const { request, session, response, i18n } = ctx
    const user = ctx.auth.use('web').user as User
    let input
    try {
      /* one ticked checkbox arrives as a string, several as a list */
      const scopes = request.input('scopes')
      const data = { ...request.all(), scopes: scopes === undefined || scopes === null ? [] : [scopes].flat() }
      input = await createTokenValidator.validate(data, { messagesProvider: i18n.createMessagesProvider() })
    } catch (error) {
      if (!(error instanceof vineErrors.E_VALIDATION_ERROR)) throw error
      session.flashValidationErrors(error)
      return response.redirect(PAGE)
    }
    try {
      const created = await createToken(
        user,
        { name: input.name, scopes: input.scopes, expiresInDays: input.expires_in_days },
        { enabledPlugins: ctx.enabledPlugins, actor: { type: 'user', id: user.id, label: user.email } }
      )
      /* The secret is flashed for the next page view only: it is shown once, then gone */
      session.flash('createdToken', created)
      session.flash('success', i18n.t('tokens.created'))
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== 'E_INVALID_SCOPES') throw error
      const message =
        error instanceof InvalidScopesError
          ? error.problems
              .map((p) => i18n.t(p.reason === 'unknown' ? 'tokens.scope_unknown' : 'tokens.scope_not_held', { scope: p.scope }))
              .join(' ')
          : i18n.t(error.messageKey!)
      session.flashExcept(['_csrf', '_method'])
      session.flashErrors({ scopes: message })
    }
    return response.redirect(PAGE)
  }

  async destroy(ctx: HttpContext) {
    const { params, session, response, i18n, view } = ctx
    const user = ctx.auth.use('web').user as User
    const revoked = await revokeToken(user, params.id, { actor: { type: 'user', id: user.id, label: user.email } })
    const message = i18n.t('tokens.revoked', { name: revoked.name ?? '' })
    if (wantsFragment(ctx)) {
      const list = await view.render('partials/settings/tokens_list', { tokens: await presentTokens(ctx, user) })
      const toast = await view.render('partials/toast_oob', { message, kind: 'success' })
      return list + toast
    }
    session.flash('success', message)
    return response.redirect(PAGE)
  }
}
