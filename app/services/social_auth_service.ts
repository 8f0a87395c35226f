/*
| Social sign-in (Google, Microsoft): finds the ACTIVE staff account of the current tenant that a
| provider identity belongs to. It never creates accounts: an identity is linked to an existing
| user on first use when the provider vouches for the address, and used by its id after that.
*/
import env from '#start/env'
import type { AllyUserContract } from '@adonisjs/ally/types'
import User from '#models/user'
import SocialIdentity from '#models/social_identity'
import { audit } from '#services/audit_service'

export const SOCIAL_PROVIDERS = ['google', 'microsoft'] as const
export type SocialProvider = (typeof SOCIAL_PROVIDERS)[number]

const SETTINGS: Record<SocialProvider, [string, string]> = {
  google: ['GOOGLE_CLIENT_ID', 'GOOGLE_CLIENT_SECRET'],
  microsoft: ['MICROSOFT_CLIENT_ID', 'MICROSOFT_CLIENT_SECRET'],
}

/** Providers with a client id and secret, read at call time so configuration changes apply */
export function configuredProviders(): SocialProvider[] {
  return SOCIAL_PROVIDERS.filter((provider) => {
    const [id, secret] = SETTINGS[provider]
    const secretValue = env.get(secret as any) as { release(): string } | string | undefined
    const released = typeof secretValue === 'string' ? secretValue : secretValue?.release()
    return Boolean(env.get(id as any)) && Boolean(released)
  })
}

export function isConfigured(provider: string): provider is SocialProvider {
  return (configuredProviders() as string[]).includes(provider)
}

export type SocialProfile = Pick<AllyUserContract<any>, 'id' | 'email' | 'emailVerificationState'>

export type SocialOutcome =
  | { kind: 'user'; user: User; linked: boolean }
  | { kind: 'refused'; reason: 'no_account' | 'unverified_email' | 'inactive' }

export async function resolveSocialUser(provider: SocialProvider, profile: SocialProfile): Promise<SocialOutcome> {
  const providerUserId = String(profile.id ?? '')
  if (providerUserId) {
    const identity = await SocialIdentity.query()
      .where('provider', provider)
      .where('provider_user_id', providerUserId)
      .first()
    if (identity) {
      const user = await User.query().where('id', identity.userId).first()
      if (user?.status === 'active') return { kind: 'user', user, linked: false }
      return { kind: 'refused', reason: 'inactive' }
    }
  }

  if (!profile.email || profile.emailVerificationState !== 'verified' || !providerUserId) {
    return { kind: 'refused', reason: 'unverified_email' }
  }
  const user = await User.query().where('email', profile.email.trim().toLowerCase()).first()
  if (!user) return { kind: 'refused', reason: 'no_account' }
  if (user.status !== 'active') return { kind: 'refused', reason: 'inactive' }

  let identity: SocialIdentity
  try {
    identity = await SocialIdentity.create({ userId: user.id, provider, providerUserId })
  } catch (error) {
    /* A parallel callback for the same identity linked it first: use that link */
    const existing = await SocialIdentity.query()
      .where('provider', provider)
      .where('provider_user_id', providerUserId)
      .first()
    if (!existing) throw error
    return existing.userId === user.id ? { kind: 'user', user, linked: false } : { kind: 'refused', reason: 'inactive' }
  }
  await audit({
    action: 'auth.social_identity_linked',
    subjectType: 'user',
    subjectId: user.id,
    after: { provider, identity: identity.id },
    actor: { type: 'user', id: user.id, label: user.email },
  })
  return { kind: 'user', user, linked: true }
}
