/*
| Personal access tokens for /api/v1: scope validation against the permission catalogue, create
| (the secret leaves only once), list and revoke, each change audited. Used by the settings page
| and by `node ace token:create`.
*/
import type { AccessToken } from '@adonisjs/auth/access_tokens'
import User from '#models/user'
import plugins from '#kernel/plugin_service'
import { permissionsOf, scopeMatches } from '#services/access_service'
import { audit, type AuditEntry } from '#services/audit_service'
import { DomainError, NotFoundError } from '#exceptions/domain_errors'

export type ScopeProblem = { scope: string; reason: 'unknown' | 'not_held' }

/** Requested scopes that do not exist, or reach permissions the creating user lacks */
export class InvalidScopesError extends DomainError {
  constructor(public problems: ScopeProblem[]) {
    super(
      problems.map((p) => (p.reason === 'unknown' ? `Unknown scope "${p.scope}"` : `You do not hold scope "${p.scope}"`)).join('; '),
      { code: 'E_INVALID_SCOPES', status: 422, messageKey: 'tokens.invalid_scopes' }
    )
  }
}

export interface CreateTokenInput {
  name: string
  scopes: string[]
  expiresInDays?: number | null
}

export interface ScopeGroup {
  plugin: string
  /** i18n key (kernel) or the plugin's name */
  label: string
  /** `<plugin>.*`, offered when the user holds every permission of the group */
  wildcard: string | null
  permissions: Array<{ key: string; label: string }>
}

function toIso(value: Date | string | number | null | undefined): string | null {
  if (value === null || value === undefined) return null
  const date = value instanceof Date ? value : new Date(typeof value === 'string' && !value.includes('T') ? `${value.replace(' ', 'T')}Z` : value)
  return Number.isNaN(date.getTime()) ? null : date.toISOString()
}

export function serializeToken(token: AccessToken) {
  return {
    id: Number(token.identifier),
    name: token.name,
    scopes: token.abilities,
    created_at: toIso(token.createdAt),
    last_used_at: toIso(token.lastUsedAt),
    expires_at: toIso(token.expiresAt),
  }
}

/** Permissions a token of this tenant can name: the kernel's and those of enabled plugins */
function availableCatalogue(enabledPlugins: Set<string>) {
  return plugins.permissionCatalogue().filter((p) => p.plugin === 'kernel' || enabledPlugins.has(p.plugin))
}

/**
 * A scope is a permission key, `*`, or `<prefix>.*`. It must name something in the catalogue and
 * the user must hold everything it reaches in this tenant: a token never widens its creator.
 */
export function checkScopes(scopes: string[], held: Set<string>, enabledPlugins: Set<string>): ScopeProblem[] {
  const all = plugins.permissionCatalogue().map((p) => p.key)
  const available = availableCatalogue(enabledPlugins).map((p) => p.key)
  const problems: ScopeProblem[] = []
  for (const scope of scopes) {
    const wellFormed = scope === '*' || /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*(\.\*)?$/.test(scope)
    if (!wellFormed || !all.some((key) => scopeMatches(scope, key))) {
      problems.push({ scope, reason: 'unknown' })
      continue
    }
    const reached = available.filter((key) => scopeMatches(scope, key))
    if (!reached.length || reached.some((key) => !held.has(key))) problems.push({ scope, reason: 'not_held' })
  }
  return problems
}

/** Checkbox groups for the settings page: only what the user holds, grouped by plugin */
export function scopeGroups(held: Set<string>, enabledPlugins: Set<string>): ScopeGroup[] {
  const groups = new Map<string, ScopeGroup>()
  const catalogue = availableCatalogue(enabledPlugins)
  for (const entry of catalogue) {
    if (!held.has(entry.key)) continue
    let group = groups.get(entry.plugin)
    if (!group) {
      const label = entry.plugin === 'kernel' ? 'tokens.group_kernel' : (plugins.get(entry.plugin)?.manifest.name ?? entry.plugin)
      group = { plugin: entry.plugin, label, wildcard: null, permissions: [] }
      groups.set(entry.plugin, group)
    }
    group.permissions.push({ key: entry.key, label: entry.label })
  }
  for (const group of groups.values()) {
    const all = catalogue.filter((p) => p.plugin === group.plugin)
    if (all.every((p) => held.has(p.key))) group.wildcard = `${group.plugin}.*`
  }
  return [...groups.values()]
}

export function holdsEverything(held: Set<string>, enabledPlugins: Set<string>) {
  return availableCatalogue(enabledPlugins).every((p) => held.has(p.key))
}

export async function listTokens(user: User) {
  const tokens = await User.accessTokens.all(user)
  return tokens.map(serializeToken).sort((a, b) => b.id - a.id)
}

export async function createToken(
  user: User,
  input: CreateTokenInput,
  options: { enabledPlugins: Set<string>; actor?: AuditEntry['actor'] }
) {
  const scopes = [...new Set(input.scopes.map((s) => s.trim()).filter(Boolean))]
  if (!scopes.length) {
    throw new DomainError('A token needs at least one scope', {
      code: 'E_INVALID_SCOPES',
      status: 422,
      messageKey: 'tokens.scopes_required',
    })
  }
  const held = await permissionsOf(user, options.enabledPlugins)
  const problems = checkScopes(scopes, held, options.enabledPlugins)
  if (problems.length) throw new InvalidScopesError(problems)
  const token = await User.accessTokens.create(user, scopes, {
    name: input.name,
    expiresIn: input.expiresInDays ? `${input.expiresInDays} days` : undefined,
  })
  const data = serializeToken(token)
  await audit({
    action: 'token.created',
    subjectType: 'access_token',
    subjectId: data.id,
    after: { name: data.name, scopes: data.scopes, expires_at: data.expires_at, user_id: user.id },
    tenantId: user.tenantId,
    actor: options.actor,
  })
  return { ...data, value: token.value!.release() }
}

export async function revokeToken(user: User, id: string | number, options: { actor?: AuditEntry['actor'] } = {}) {
  const numeric = Number(id)
  if (!Number.isSafeInteger(numeric) || numeric <= 0) throw new NotFoundError()
  const token = await User.accessTokens.find(user, numeric)
  if (!token) throw new NotFoundError()
  await User.accessTokens.delete(user, numeric)
  const data = serializeToken(token)
  await audit({
    action: 'token.revoked',
    subjectType: 'access_token',
    subjectId: data.id,
    before: { name: data.name, scopes: data.scopes, expires_at: data.expires_at, user_id: user.id },
    tenantId: user.tenantId,
    actor: options.actor,
  })
  return data
}
