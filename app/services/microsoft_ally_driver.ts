/*
| Ally driver for Microsoft Entra ID (v2 endpoints, OpenID Connect) with PKCE. The profile
| comes from Microsoft Graph /me; the address counts as verified only when Microsoft vouches
| for it (see verifiedEmail), because the Graph "mail" attribute can be set to anything by a
| directory admin and must never decide whose account this is.
*/
import type { HttpContext } from '@adonisjs/core/http'
import { Oauth2Driver } from '@adonisjs/ally'
import type {
  AllyUserContract,
  ApiRequestContract,
  Oauth2AccessToken,
  Oauth2DriverConfig,
  RedirectRequestContract,
} from '@adonisjs/ally/types'

export type MicrosoftScopes = 'openid' | 'profile' | 'email' | 'offline_access' | 'User.Read'

export type MicrosoftDriverConfig = Oauth2DriverConfig & {
  /** Entra tenant: "common", "organizations", "consumers" or a directory id/domain */
  tenant?: string
  /** Origin of the identity platform (tests point it at a local server) */
  loginBaseUrl?: string
  /** Origin of Microsoft Graph */
  graphBaseUrl?: string
  scopes?: MicrosoftScopes[]
  prompt?: 'login' | 'none' | 'consent' | 'select_account'
}

export type MicrosoftToken = Oauth2AccessToken & { idToken?: string; scope?: string }

interface GraphUser {
  id: string
  displayName?: string | null
  givenName?: string | null
  surname?: string | null
  mail?: string | null
  userPrincipalName?: string | null
}

/*
| The ID token comes straight from the token endpoint over TLS with client authentication, so
| its claims may be read without checking the signature (OpenID Connect Core 3.1.3.7); the
| audience and expiry are still checked.
*/
export function idTokenClaims(idToken: string | undefined, clientId: string): Record<string, any> | null {
  if (!idToken) return null
  const payload = idToken.split('.')[1]
  if (!payload) return null
  let claims: Record<string, any>
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'))
  } catch {
    return null
  }
  const audience = Array.isArray(claims.aud) ? claims.aud : [claims.aud]
  if (!audience.includes(clientId)) return null
  if (typeof claims.exp === 'number' && claims.exp * 1000 < Date.now()) return null
  return claims
}

/*
| Entra guarantees a user principal name is on a domain the directory has verified, so it is a
| verified address (guest accounts, marked #EXT#, are not). The optional `email` claim counts
| only with `xms_edov` (email domain owner verified).
*/
export function verifiedEmail(me: GraphUser, claims: Record<string, any> | null): string | null {
  const edov = claims?.xms_edov === true || claims?.xms_edov === 'true' || claims?.xms_edov === 1
  if (claims?.email && edov) return String(claims.email).toLowerCase()
  const upn = me.userPrincipalName ?? ''
  if (upn.includes('@') && !upn.includes('#EXT#')) return upn.toLowerCase()
  return null
}

export class MicrosoftDriver extends Oauth2Driver<MicrosoftToken, MicrosoftScopes> {
  protected authorizeUrl: string
  protected accessTokenUrl: string
  protected userInfoUrl: string
  protected codeParamName = 'code'
  protected errorParamName = 'error'
  protected stateCookieName = 'microsoft_oauth_state'
  protected codeVerifierCookieName = 'microsoft_oauth_code_verifier'
  protected stateParamName = 'state'
  protected scopeParamName = 'scope'
  protected scopesSeparator = ' '

  constructor(
    ctx: HttpContext,
    public config: MicrosoftDriverConfig
  ) {
    super(ctx, config)
    const login = (config.loginBaseUrl ?? 'https://login.microsoftonline.com').replace(/\/$/, '')
    const graph = (config.graphBaseUrl ?? 'https://graph.microsoft.com').replace(/\/$/, '')
    const tenant = encodeURIComponent(config.tenant || 'common')
    this.authorizeUrl = `${login}/${tenant}/oauth2/v2.0/authorize`
    this.accessTokenUrl = `${login}/${tenant}/oauth2/v2.0/token`
    this.userInfoUrl = `${graph}/v1.0/me`
    /* Reads the state and PKCE cookies; needs the cookie names above, hence after super() */
    this.loadState()
  }

  protected configureRedirectRequest(request: RedirectRequestContract<MicrosoftScopes>) {
    request.scopes(this.config.scopes ?? ['openid', 'profile', 'email', 'User.Read'])
    request.param('response_type', 'code')
    request.param('response_mode', 'query')
    if (this.config.prompt) request.param('prompt', this.config.prompt)
  }

  accessDenied() {
    return this.getError() === 'access_denied'
  }

  async accessToken(callback?: (request: ApiRequestContract) => void): Promise<MicrosoftToken> {
    const token = await super.accessToken(callback)
    return { ...token, idToken: (token as any).id_token }
  }

  protected async getUserInfo(token: string, claims: Record<string, any> | null) {
    const request = this.httpClient(this.userInfoUrl)
    request.header('Authorization', `Bearer ${token}`)
    request.header('Accept', 'application/json')
    request.param('$select', 'id,displayName,givenName,surname,mail,userPrincipalName')
    request.parseAs('json')
    const me: GraphUser = await request.get()
    const verified = verifiedEmail(me, claims)
    return {
      id: me.id,
      nickName: me.displayName ?? me.givenName ?? '',
      name: me.displayName ?? [me.givenName, me.surname].filter(Boolean).join(' '),
      email: verified ?? me.mail ?? me.userPrincipalName ?? null,
      emailVerificationState: verified ? ('verified' as const) : ('unverified' as const),
      avatarUrl: null,
      original: me,
    }
  }

  async user(callback?: (request: ApiRequestContract) => void): Promise<AllyUserContract<MicrosoftToken>> {
    const token = await this.accessToken(callback)
    const claims = idTokenClaims(token.idToken, this.config.clientId)
    return { ...(await this.getUserInfo(token.token, claims)), token }
  }

  async userFromToken(token: string): Promise<AllyUserContract<{ token: string; type: 'bearer' }>> {
    return { ...(await this.getUserInfo(token, null)), token: { token, type: 'bearer' as const } }
  }
}
