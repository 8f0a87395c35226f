/*
| A local OAuth 2.0 / OpenID Connect server for tests that speaks the providers' wire formats:
| Google (authorize, token, /oauth2/v3/userinfo) and Microsoft Entra v2 (/{tenant}/oauth2/v2.0/
| authorize and token, Graph /v1.0/me). It checks what a real provider checks (client
| credentials, redirect_uri, single-use codes, PKCE, bearer token) and answers with the same
| JSON shapes, so the app's drivers run unmodified against it.
*/
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { createHash, randomBytes } from 'node:crypto'
import type { AddressInfo } from 'node:net'

export interface FakeAccount {
  /** Google "sub" / Microsoft object id */
  id: string
  name: string
  email: string
  /** Google: email_verified */
  emailVerified?: boolean
  /** Microsoft: Graph userPrincipalName and mail */
  userPrincipalName?: string
  mail?: string | null
  /** Microsoft: ID token xms_edov claim */
  emailDomainOwnerVerified?: boolean
}

export interface FakeClient {
  clientId: string
  clientSecret: string
}

interface IssuedCode {
  provider: 'google' | 'microsoft'
  redirectUri: string
  clientId: string
  account: FakeAccount
  codeChallenge: string | null
}

export interface FakeOAuthServer {
  url: string
  /** The account the next authorization signs in as, per provider */
  signInAs(provider: 'google' | 'microsoft', account: FakeAccount): void
  /** Makes the next authorization answer error=access_denied */
  denyNext(): void
  /** Requests the server received, for asserting on what the app sent */
  log: { method: string; path: string; params: Record<string, string> }[]
  close(): Promise<void>
}

function b64url(value: object) {
  return Buffer.from(JSON.stringify(value)).toString('base64url')
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = ''
    req.on('data', (chunk) => (data += chunk))
    req.on('end', () => resolve(data))
    req.on('error', reject)
  })
}

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' })
  res.end(JSON.stringify(body))
}

export async function startFakeOAuthServer(clients: { google: FakeClient; microsoft: FakeClient }): Promise<FakeOAuthServer> {
  const accounts: Partial<Record<'google' | 'microsoft', FakeAccount>> = {}
  const codes = new Map<string, IssuedCode>()
  const tokens = new Map<string, { provider: 'google' | 'microsoft'; account: FakeAccount }>()
  const log: FakeOAuthServer['log'] = []
  let deny = false
  let origin = ''

  function idToken(provider: 'google' | 'microsoft', clientId: string, account: FakeAccount) {
    const now = Math.floor(Date.now() / 1000)
    const claims =
      provider === 'google'
        ? { iss: 'https://accounts.google.com', aud: clientId, sub: account.id, email: account.email, email_verified: account.emailVerified ?? true, name: account.name, iat: now, exp: now + 3600 }
        : {
            ver: '2.0',
            iss: `${origin}/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0`,
            aud: clientId,
            sub: randomBytes(8).toString('hex'),
            oid: account.id,
            tid: '9188040d-6c67-4c5b-b112-36a304b66dad',
            name: account.name,
            preferred_username: account.userPrincipalName ?? account.email,
            email: account.email,
            ...(account.emailDomainOwnerVerified !== undefined ? { xms_edov: account.emailDomainOwnerVerified } : {}),
            iat: now,
            nbf: now,
            exp: now + 3600,
          }
    return `${b64url({ alg: 'RS256', typ: 'JWT', kid: 'test' })}.${b64url(claims)}.${randomBytes(16).toString('base64url')}`
  }

  function authorize(provider: 'google' | 'microsoft', url: URL, res: ServerResponse) {
    const q = Object.fromEntries(url.searchParams)
    const client = clients[provider]
    if (q.client_id !== client.clientId || q.response_type !== 'code' || !q.redirect_uri) {
      return json(res, 400, { error: 'invalid_request' })
    }
    const target = new URL(q.redirect_uri)
    if (q.state) target.searchParams.set('state', q.state)
    const account = accounts[provider]
    if (deny || !account) {
      deny = false
      target.searchParams.set('error', 'access_denied')
      target.searchParams.set('error_description', 'The user cancelled the sign-in.')
    } else {
      const code = randomBytes(16).toString('hex')
      codes.set(code, {
        provider,
        redirectUri: q.redirect_uri,
        clientId: q.client_id,
        account,
        codeChallenge: q.code_challenge ?? null,
      })
      target.searchParams.set('code', code)
    }
    res.writeHead(302, { location: target.toString() })
    res.end()
  }

  async function token(provider: 'google' | 'microsoft', req: IncomingMessage, res: ServerResponse) {
    const body = Object.fromEntries(new URLSearchParams(await readBody(req)))
    log[log.length - 1].params = body
    const client = clients[provider]
    if (body.client_id !== client.clientId || body.client_secret !== client.clientSecret) {
      return json(res, 401, { error: 'invalid_client' })
    }
    const issued = codes.get(body.code ?? '')
    codes.delete(body.code ?? '')
    if (!issued || issued.provider !== provider || body.grant_type !== 'authorization_code' || body.redirect_uri !== issued.redirectUri) {
      return json(res, 400, { error: 'invalid_grant' })
    }
    if (issued.codeChallenge) {
      const challenge = createHash('sha256').update(body.code_verifier ?? '').digest('base64url')
      if (challenge !== issued.codeChallenge) return json(res, 400, { error: 'invalid_grant', error_description: 'PKCE verification failed' })
    }
    const accessToken = randomBytes(24).toString('hex')
    tokens.set(accessToken, { provider, account: issued.account })
    const common = { access_token: accessToken, expires_in: 3599, token_type: 'Bearer', id_token: idToken(provider, issued.clientId, issued.account) }
    return provider === 'google'
      ? json(res, 200, { ...common, scope: 'openid https://www.googleapis.com/auth/userinfo.email https://www.googleapis.com/auth/userinfo.profile' })
      : json(res, 200, { ...common, scope: 'openid profile email User.Read', ext_expires_in: 3599 })
  }

  function bearer(provider: 'google' | 'microsoft', req: IncomingMessage) {
    const value = String(req.headers.authorization ?? '').replace(/^Bearer /, '')
    const entry = tokens.get(value)
    return entry?.provider === provider ? entry.account : null
  }

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', origin)
    log.push({ method: req.method ?? 'GET', path: url.pathname, params: Object.fromEntries(url.searchParams) })
    const ms = url.pathname.match(/^\/([^/]+)\/oauth2\/v2\.0\/(authorize|token)$/)
    if (req.method === 'GET' && url.pathname === '/o/oauth2/v2/auth') return authorize('google', url, res)
    if (req.method === 'POST' && url.pathname === '/token') return token('google', req, res)
    if (req.method === 'GET' && url.pathname === '/oauth2/v3/userinfo') {
      const account = bearer('google', req)
      if (!account) return json(res, 401, { error: 'invalid_token' })
      const [given, ...rest] = account.name.split(' ')
      return json(res, 200, {
        sub: account.id,
        name: account.name,
        given_name: given,
        family_name: rest.join(' '),
        picture: `https://lh3.googleusercontent.com/a/${account.id}`,
        email: account.email,
        email_verified: account.emailVerified ?? true,
        locale: 'en',
      })
    }
    if (ms && req.method === 'GET' && ms[2] === 'authorize') return authorize('microsoft', url, res)
    if (ms && req.method === 'POST' && ms[2] === 'token') return token('microsoft', req, res)
    if (req.method === 'GET' && url.pathname === '/v1.0/me') {
      const account = bearer('microsoft', req)
      if (!account) {
        return json(res, 401, { error: { code: 'InvalidAuthenticationToken', message: 'Access token is empty.' } })
      }
      const [given, ...rest] = account.name.split(' ')
      return json(res, 200, {
        '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#users/$entity',
        'businessPhones': [],
        'displayName': account.name,
        'givenName': given,
        'surname': rest.join(' '),
        'jobTitle': null,
        'mail': account.mail === undefined ? account.email : account.mail,
        'mobilePhone': null,
        'officeLocation': null,
        'preferredLanguage': 'en-US',
        'userPrincipalName': account.userPrincipalName ?? account.email,
        'id': account.id,
      })
    }
    json(res, 404, { error: 'not_found' })
  })

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url: origin,
    log,
    signInAs(provider, account) {
      accounts[provider] = account
    },
    denyNext() {
      deny = true
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}
