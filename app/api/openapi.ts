/*
| The OpenAPI 3.1 document of /api/v1 for one tenant: the kernel's paths and shared components,
| merged with the fragment of every plugin enabled for the tenant (manifest.openapi), then passed
| through the `api.openapi` filter so plugins can adjust the whole.
*/
import hooks, { type OpenApiDocument } from '#kernel/hooks'
import plugins from '#kernel/plugin_service'
import { ROLE_KEYS } from '#kernel/plugin_manifest'
import { DEFAULT_LIMIT, MAX_LIMIT } from '#api/pagination'
import { usersListing } from '#controllers/api/users_controller'

const ref = (kind: string, name: string) => ({ $ref: `#/components/${kind}/${name}` })

const RATE_LIMIT_HEADERS = {
  'RateLimit-Limit': ref('headers', 'RateLimitLimit'),
  'RateLimit-Remaining': ref('headers', 'RateLimitRemaining'),
  'RateLimit-Reset': ref('headers', 'RateLimitReset'),
}

/** Error responses every authenticated operation can give */
export const STANDARD_ERRORS = {
  '401': ref('responses', 'Unauthorized'),
  '403': ref('responses', 'Forbidden'),
  '429': ref('responses', 'TooManyRequests'),
}

function problemResponse(description: string, schema = 'Problem') {
  return {
    description,
    headers: RATE_LIMIT_HEADERS,
    content: { 'application/problem+json': { schema: ref('schemas', schema) } },
  }
}

export function kernelDocument(options: { serverUrl: string; title: string }): OpenApiDocument {
  return {
    openapi: '3.1.0',
    info: {
      title: options.title,
      version: '1',
      description: [
        'Authenticate with a personal access token (Settings → API tokens) as `Authorization: Bearer cf_…`.',
        'A token acts for its user within this workspace; its scopes narrow what the user’s role allows.',
        'Lists use cursor pagination: follow `next_cursor` (or the `Link: rel="next"` header) until it is null.',
        'Errors are RFC 9457 problem details (`application/problem+json`) with a stable `code`.',
        'Every response carries `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset`; a 429 adds `Retry-After`.',
        'POST requests accept an `Idempotency-Key` header: a retry with the same key and body replays the first response for 24 hours.',
        'This document and the docs page are public on the workspace host; they list the API of the plugins enabled here.',
      ].join('\n\n'),
    },
    servers: [{ url: options.serverUrl }],
    security: [{ bearerAuth: [] }],
    tags: [{ name: 'kernel', description: 'Workspace, users and the calling token' }],
    paths: {
      '/me': {
        get: {
          tags: ['kernel'],
          operationId: 'kernelGetMe',
          summary: 'The calling token, its user, tenant, role and effective permissions',
          responses: {
            '200': {
              description: 'Who the token speaks for',
              headers: RATE_LIMIT_HEADERS,
              content: { 'application/json': { schema: { type: 'object', required: ['data'], properties: { data: ref('schemas', 'Me') } } } },
            },
            ...STANDARD_ERRORS,
          },
        },
      },
      '/users': {
        get: {
          tags: ['kernel'],
          operationId: 'kernelListUsers',
          summary: 'The team of this workspace (needs kernel.users.view)',
          parameters: [
            ref('parameters', 'Limit'),
            ref('parameters', 'Cursor'),
            {
              name: 'sort',
              in: 'query',
              description: 'Sort order; a leading "-" sorts descending',
              schema: { type: 'string', enum: usersListing.sortValues, default: 'created_at' },
            },
            { name: 'role', in: 'query', schema: { type: 'string', enum: ROLE_KEYS } },
            { name: 'status', in: 'query', schema: { type: 'string', enum: ['active', 'invited', 'deactivated'] } },
            { name: 'q', in: 'query', description: 'Case-insensitive search in email and name', schema: { type: 'string', maxLength: 100 } },
          ],
          responses: {
            '200': {
              description: 'One page of users',
              headers: { ...RATE_LIMIT_HEADERS, Link: ref('headers', 'Link') },
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    required: ['data', 'next_cursor'],
                    properties: {
                      data: { type: 'array', items: ref('schemas', 'User') },
                      next_cursor: { type: ['string', 'null'] },
                    },
                  },
                },
              },
            },
            '422': ref('responses', 'ValidationFailed'),
            ...STANDARD_ERRORS,
          },
        },
      },
    },
    components: {
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'cf_<id>.<secret>', description: 'Personal access token' },
      },
      parameters: {
        Limit: {
          name: 'limit',
          in: 'query',
          description: 'Items per page',
          schema: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT },
        },
        Cursor: {
          name: 'cursor',
          in: 'query',
          description: 'Opaque cursor from `next_cursor` of the previous page; valid only with the same sort',
          schema: { type: 'string' },
        },
        IdempotencyKey: {
          name: 'Idempotency-Key',
          in: 'header',
          description: 'Makes a POST safe to retry: the same key and body replay the first response for 24 hours',
          schema: { type: 'string', minLength: 1, maxLength: 255 },
        },
      },
      headers: {
        RateLimitLimit: { description: 'Requests allowed in the current window', schema: { type: 'integer' } },
        RateLimitRemaining: { description: 'Requests left in the current window', schema: { type: 'integer' } },
        RateLimitReset: { description: 'Seconds until the window resets', schema: { type: 'integer' } },
        RetryAfter: { description: 'Seconds to wait before retrying', schema: { type: 'integer' } },
        Link: { description: 'RFC 8288 link to the next page (`rel="next"`)', schema: { type: 'string' } },
      },
      schemas: {
        Problem: {
          type: 'object',
          description: 'RFC 9457 problem details',
          required: ['type', 'title', 'status', 'code'],
          properties: {
            type: { type: 'string', format: 'uri' },
            title: { type: 'string' },
            status: { type: 'integer' },
            code: { type: 'string', description: 'Stable machine-readable code, e.g. E_FORBIDDEN' },
            detail: { type: 'string' },
            instance: { type: 'string' },
          },
        },
        ValidationProblem: {
          allOf: [
            ref('schemas', 'Problem'),
            {
              type: 'object',
              required: ['errors'],
              properties: {
                errors: {
                  type: 'array',
                  items: {
                    type: 'object',
                    required: ['field', 'message', 'rule'],
                    properties: { field: { type: 'string' }, message: { type: 'string' }, rule: { type: 'string' } },
                  },
                },
              },
            },
          ],
        },
        User: {
          type: 'object',
          required: ['id', 'email', 'name', 'role', 'status', 'created_at'],
          properties: {
            id: { type: 'integer' },
            email: { type: 'string', format: 'email' },
            name: { type: ['string', 'null'] },
            role: { type: 'string', enum: ROLE_KEYS },
            status: { type: 'string', enum: ['active', 'invited', 'deactivated'] },
            locale: { type: ['string', 'null'] },
            last_login_at: { type: ['string', 'null'], format: 'date-time' },
            created_at: { type: 'string', format: 'date-time' },
          },
        },
        Token: {
          type: 'object',
          properties: {
            id: { type: 'integer' },
            name: { type: ['string', 'null'] },
            scopes: { type: 'array', items: { type: 'string' }, description: 'Permission keys or wildcards (`*`, `kernel.*`)' },
            created_at: { type: ['string', 'null'], format: 'date-time' },
            last_used_at: { type: ['string', 'null'], format: 'date-time' },
            expires_at: { type: ['string', 'null'], format: 'date-time' },
          },
        },
        Me: {
          type: 'object',
          required: ['user', 'tenant', 'role', 'permissions', 'token'],
          properties: {
            user: {
              type: 'object',
              properties: {
                id: { type: 'integer' },
                email: { type: 'string' },
                name: { type: ['string', 'null'] },
                locale: { type: ['string', 'null'] },
                status: { type: 'string' },
                twoFactorEnabled: { type: 'boolean', description: 'An authenticator app or a passkey is set up as a second factor' },
              },
            },
            tenant: {
              type: 'object',
              properties: {
                id: { type: 'integer' },
                slug: { type: 'string' },
                name: { type: 'string' },
                locale: { type: 'string' },
                timezone: { type: 'string' },
                currency: { type: 'string' },
              },
            },
            role: { type: 'string', enum: ROLE_KEYS },
            permissions: { type: 'array', items: { type: 'string' }, description: 'Role permissions narrowed by the token scopes' },
            token: ref('schemas', 'Token'),
          },
        },
      },
      responses: {
        Unauthorized: problemResponse('Missing, unknown, expired or foreign token'),
        Forbidden: problemResponse('The token or its user lacks the permission'),
        NotFound: problemResponse('No such resource in this workspace'),
        ValidationFailed: problemResponse('Invalid parameters; `errors` lists each field', 'ValidationProblem'),
        TooManyRequests: {
          ...problemResponse('Rate limit exceeded'),
          headers: { ...RATE_LIMIT_HEADERS, 'Retry-After': ref('headers', 'RetryAfter') },
        },
        IdempotencyConflict: problemResponse('A request with this Idempotency-Key is still running'),
      },
    },
  }
}

/** Adds a plugin fragment: paths and components merge by name; the first definition of a name stays */
export function mergeFragment(doc: OpenApiDocument, fragment: Partial<OpenApiDocument>, pluginId: string) {
  for (const [path, item] of Object.entries(fragment.paths ?? {})) {
    doc.paths[path] = { ...(item as object), ...(doc.paths[path] ?? {}) }
  }
  for (const [section, entries] of Object.entries(fragment.components ?? {})) {
    doc.components ??= {}
    doc.components[section] = { ...(entries as object), ...(doc.components[section] ?? {}) }
  }
  const tags: Array<{ name: string }> = (doc.tags ??= [])
  for (const tag of (fragment.tags as Array<{ name: string }> | undefined) ?? [{ name: pluginId }]) {
    if (!tags.some((t) => t.name === tag.name)) tags.push(tag)
  }
  return doc
}

/** The `api` middleware honours Idempotency-Key on every POST, so every POST documents it */
export function documentIdempotency(doc: OpenApiDocument) {
  for (const item of Object.values(doc.paths)) {
    const post = (item as Record<string, any>)?.post
    if (!post) continue
    const param = ref('parameters', 'IdempotencyKey')
    post.parameters ??= []
    if (!post.parameters.some((p: { $ref?: string }) => p.$ref === param.$ref)) post.parameters.push(param)
    post.responses ??= {}
    post.responses['409'] ??= ref('responses', 'IdempotencyConflict')
  }
  return doc
}

export async function buildOpenApi(options: {
  tenantId: number
  enabledPlugins: Set<string>
  serverUrl: string
  title: string
}): Promise<OpenApiDocument> {
  const doc = kernelDocument(options)
  for (const { manifest } of plugins.list()) {
    if (!manifest.openapi || !options.enabledPlugins.has(manifest.id)) continue
    const fragment = (await manifest.openapi()).default
    mergeFragment(doc, structuredClone(fragment), manifest.id)
  }
  return hooks.applyFilters('api.openapi', documentIdempotency(doc), { tenantId: options.tenantId })
}
