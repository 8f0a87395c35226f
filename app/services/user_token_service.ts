/*
| One-time tokens for password resets and invitations: a random secret goes into the link, only
| its SHA-256 is stored, and a token is valid once, before its expiry, in its own tenant.
*/
import { createHash, randomBytes } from 'node:crypto'
import { DateTime, type DurationLike } from 'luxon'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import UserToken from '#models/user_token'
import User from '#models/user'
import { DomainError, NotFoundError } from '#exceptions/domain_errors'

export type TokenPurpose = UserToken['purpose']

export function hashToken(token: string) {
  return createHash('sha256').update(token).digest('hex')
}

/** Creates a token for the user and returns the secret for the link (it is not stored) */
export async function issueToken(
  user: User,
  purpose: TokenPurpose,
  ttl: DurationLike,
  options: { client?: TransactionClientContract } = {}
) {
  const token = randomBytes(32).toString('base64url')
  await UserToken.create(
    {
      tenantId: user.tenantId,
      userId: user.id,
      purpose,
      tokenHash: hashToken(token),
      expiresAt: DateTime.utc().plus(ttl),
      usedAt: null,
    },
    { client: options.client }
  )
  return token
}

export type TokenLookup =
  | { state: 'valid'; token: UserToken }
  | { state: 'expired' | 'used'; token: UserToken }
  | { state: 'missing' }

/*
| Looks a token up in the current tenant only: a token of another tenant is "missing", so a link
| opened on the wrong host answers 404 like an unknown one.
*/
export async function findToken(token: string, purpose: TokenPurpose): Promise<TokenLookup> {
  if (!token || token.length > 100) return { state: 'missing' }
  const row = await UserToken.query()
    .where('token_hash', hashToken(token))
    .where('purpose', purpose)
    .first()
  if (!row) return { state: 'missing' }
  if (row.usedAt) return { state: 'used', token: row }
  if (row.expiresAt <= DateTime.utc()) return { state: 'expired', token: row }
  return { state: 'valid', token: row }
}

/*
| Marks the token used with a conditional update, so two concurrent submissions of one link
| cannot both succeed. Returns false when another request got there first.
*/
export async function consumeToken(row: UserToken, client?: TransactionClientContract) {
  const query = UserToken.forTenant(row.tenantId, { client })
  const now = DateTime.utc().toFormat(query.client.dialect.dateTimeFormat)
  const updated = await query.where('id', row.id).whereNull('used_at').update({ usedAt: now })
  return Number(Array.isArray(updated) ? updated[0] : updated) === 1
}

/** A link that was valid once but is no more: the page explains instead of a bare 404 */
export class TokenUnusableError extends DomainError {
  constructor(public state: 'expired' | 'used' | 'revoked') {
    super(`This link cannot be used any more (${state})`, {
      code: `E_TOKEN_${state.toUpperCase()}`,
      status: 410,
      messageKey: `auth.link_${state}`,
    })
  }
}

/** Looks a link up for its page; throws for links that cannot be used */
export async function usableToken(token: string, purpose: TokenPurpose, userStatus: User['status']) {
  const lookup: TokenLookup = await findToken(token, purpose)
  if (lookup.state === 'missing') throw new NotFoundError()
  const user = await User.query().where('id', lookup.token.userId).first()
  if (!user) throw new NotFoundError()
  if (lookup.state !== 'valid') throw new TokenUnusableError(lookup.state)
  if (user.status !== userStatus) throw new TokenUnusableError('revoked')
  return { token: lookup.token, user }
}

/** Withdraws a user's open tokens of one purpose (a newer one replaces them) */
export async function revokeTokens(user: User, purpose: TokenPurpose, client?: TransactionClientContract) {
  await UserToken.forTenant(user.tenantId, { client }).where('user_id', user.id).where('purpose', purpose).whereNull('used_at').delete()
}
