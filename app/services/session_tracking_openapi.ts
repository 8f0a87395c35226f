/*
| The OpenAPI paths of the token owner's own sessions and password (/me/sessions, /me/password),
| added to the kernel document through the `api.openapi` filter.
*/
import type { OpenApiDocument } from '#kernel/hooks'

const ref = (kind: string, name: string) => ({ $ref: `#/components/${kind}/${name}` })
const errors = { '401': ref('responses', 'Unauthorized'), '403': ref('responses', 'Forbidden'), '429': ref('responses', 'TooManyRequests') }
const notFound = {
  '404': {
    description: 'Not a session of the calling user',
    content: { 'application/problem+json': { schema: ref('schemas', 'Problem') } },
  },
}

const BrowserSession = {
  type: 'object',
  required: ['id', 'device', 'userAgent', 'ipAddress', 'createdAt', 'lastSeenAt'],
  properties: {
    id: { type: 'integer' },
    device: { type: ['string', 'null'], description: 'Readable browser and system, e.g. "Firefox · Windows"' },
    userAgent: { type: ['string', 'null'] },
    ipAddress: { type: ['string', 'null'], description: 'Address of the latest request (updated at most once a minute)' },
    createdAt: { type: 'string', format: 'date-time', description: 'Signed in' },
    lastSeenAt: { type: 'string', format: 'date-time' },
  },
}

const paths = {
  '/me/sessions': {
    get: {
      tags: ['kernel'],
      operationId: 'kernelListMySessions',
      summary: "The calling user's signed-in browser sessions that have not ended or timed out (needs a full-access token, scope *)",
      responses: {
        '200': {
          description: 'Most recently used first',
          content: {
            'application/json': {
              schema: { type: 'object', required: ['data'], properties: { data: { type: 'array', items: ref('schemas', 'BrowserSession') } } },
            },
          },
        },
        ...errors,
      },
    },
  },
  '/me/sessions/{id}': {
    delete: {
      tags: ['kernel'],
      operationId: 'kernelRevokeMySession',
      summary: 'Signs one browser session out; it is refused on its next request (needs scope *)',
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } }],
      responses: { '204': { description: 'Revoked' }, ...notFound, ...errors },
    },
  },
  '/me/password': {
    put: {
      tags: ['kernel'],
      operationId: 'kernelChangeMyPassword',
      summary: 'Changes the calling user’s password and signs out every browser session (needs scope *)',
      description:
        'The new password follows the workspace policy: its minimum length (12 unless raised), at most 256 characters, ' +
        'not in the breached-password list (rule `passwordBreached`), not easily guessed (rule `passwordWeak`). ' +
        'A wrong current password answers rule `currentPassword`; five wrong ones in 15 minutes block further tries.',
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: {
              type: 'object',
              required: ['current_password', 'password'],
              properties: { current_password: { type: 'string' }, password: { type: 'string', minLength: 12, maxLength: 256 } },
            },
          },
        },
      },
      responses: {
        '200': {
          description: 'Changed',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['data'],
                properties: { data: { type: 'object', required: ['sessionsRevoked'], properties: { sessionsRevoked: { type: 'integer' } } } },
              },
            },
          },
        },
        '422': ref('responses', 'ValidationFailed'),
        ...errors,
      },
    },
  },
}

export function addAccountPaths(doc: OpenApiDocument): OpenApiDocument {
  doc.paths = { ...doc.paths, ...paths }
  doc.components ??= {}
  doc.components.schemas = { ...(doc.components.schemas ?? {}), BrowserSession }
  return doc
}
