/*
| The OpenAPI paths of the platform services' endpoints (/webhooks, /files, /notifications),
| added to the kernel document through the `api.openapi` filter.
*/
import type { OpenApiDocument } from '#kernel/hooks'

const ref = (kind: string, name: string) => ({ $ref: `#/components/${kind}/${name}` })
const errors = { '401': ref('responses', 'Unauthorized'), '403': ref('responses', 'Forbidden'), '429': ref('responses', 'TooManyRequests') }
const notFound = { '404': { description: 'Not found (also for ids of another workspace)', content: { 'application/problem+json': { schema: ref('schemas', 'Problem') } } } }
const invalid = { '422': ref('responses', 'ValidationFailed') }
const idParam = (name: string) => ({ name, in: 'path', required: true, schema: { type: 'integer', minimum: 1 } })
const json = (schema: object, description = 'OK') => ({ description, content: { 'application/json': { schema } } })
const data = (schema: object) => ({ type: 'object', required: ['data'], properties: { data: schema } })
const list = (item: string) => data({ type: 'array', items: ref('schemas', item) })
const post = (operation: Record<string, any>) => ({
  ...operation,
  parameters: [...(operation.parameters ?? []), ref('parameters', 'IdempotencyKey')],
})

const schemas = {
  WebhookEndpoint: {
    type: 'object',
    properties: {
      id: { type: 'integer' },
      url: { type: 'string', format: 'uri' },
      description: { type: ['string', 'null'] },
      events: { type: 'array', items: { type: 'string' }, description: 'Event types, or "*" for all' },
      enabled: { type: 'boolean' },
      secret: { type: 'string', description: 'whsec_… signing secret; returned on creation and rotation only' },
      created_at: { type: 'string', format: 'date-time' },
      updated_at: { type: 'string', format: 'date-time' },
    },
  },
  WebhookEndpointInput: {
    type: 'object',
    required: ['url', 'events'],
    properties: {
      url: { type: 'string', format: 'uri', maxLength: 2000, description: 'http(s); private and loopback addresses are refused' },
      description: { type: ['string', 'null'], maxLength: 200 },
      events: { type: 'array', items: { type: 'string' }, minItems: 1 },
      enabled: { type: 'boolean' },
    },
  },
  WebhookDelivery: {
    type: 'object',
    properties: {
      id: { type: 'integer' },
      endpoint_id: { type: 'integer' },
      message_id: { type: 'string', description: 'The webhook-id header: the same for every retry and replay' },
      event: { type: 'string' },
      status: { type: 'string', enum: ['pending', 'succeeded', 'failed'] },
      attempts: { type: 'integer' },
      last_status_code: { type: ['integer', 'null'] },
      next_attempt_at: { type: ['string', 'null'], format: 'date-time' },
      delivered_at: { type: ['string', 'null'], format: 'date-time' },
      created_at: { type: 'string', format: 'date-time' },
      payload: { type: 'object', description: 'Detail view only' },
      attempts_log: { type: 'array', items: { type: 'object' } },
    },
  },
  StoredFile: {
    type: 'object',
    properties: {
      id: { type: 'integer' },
      name: { type: 'string' },
      content_type: { type: 'string', description: 'Found by content sniffing, not taken from the client' },
      extension: { type: 'string' },
      size: { type: 'integer' },
      sha256: { type: 'string' },
      created_at: { type: 'string', format: 'date-time' },
    },
  },
  Notification: {
    type: 'object',
    properties: {
      id: { type: 'integer' },
      event: { type: 'string' },
      title: { type: 'string' },
      body: { type: ['string', 'null'] },
      url: { type: ['string', 'null'] },
      read_at: { type: ['string', 'null'], format: 'date-time' },
      created_at: { type: 'string', format: 'date-time' },
    },
  },
}

const webhooks = (summary: string, operationId: string, extra: Record<string, any> = {}) => ({
  tags: ['webhooks'],
  operationId,
  summary: `${summary} (needs kernel.webhooks.manage)`,
  ...extra,
})

const paths = {
  '/webhooks/events': {
    get: webhooks('Event types endpoints can subscribe to', 'webhooksListEvents', {
      responses: { '200': json(data({ type: 'array', items: { type: 'object', properties: { type: { type: 'string' }, plugin: { type: 'string' } } } })), ...errors },
    }),
  },
  '/webhooks': {
    get: webhooks('Webhook endpoints', 'webhooksList', { responses: { '200': json(list('WebhookEndpoint')), ...errors } }),
    post: post(
      webhooks('Register an endpoint; the answer holds its signing secret', 'webhooksCreate', {
        requestBody: { required: true, content: { 'application/json': { schema: ref('schemas', 'WebhookEndpointInput') } } },
        responses: { '201': json(data(ref('schemas', 'WebhookEndpoint')), 'Created'), ...invalid, ...errors },
      })
    ),
  },
  '/webhooks/{id}': {
    get: webhooks('One endpoint', 'webhooksShow', { parameters: [idParam('id')], responses: { '200': json(data(ref('schemas', 'WebhookEndpoint'))), ...notFound, ...errors } }),
    patch: webhooks('Change an endpoint', 'webhooksUpdate', {
      parameters: [idParam('id')],
      requestBody: { required: true, content: { 'application/json': { schema: ref('schemas', 'WebhookEndpointInput') } } },
      responses: { '200': json(data(ref('schemas', 'WebhookEndpoint'))), ...invalid, ...notFound, ...errors },
    }),
    delete: webhooks('Delete an endpoint and its delivery log', 'webhooksDelete', {
      parameters: [idParam('id')],
      responses: { '204': { description: 'Deleted' }, ...notFound, ...errors },
    }),
  },
  '/webhooks/{id}/rotate-secret': {
    post: post(webhooks('Replace the signing secret', 'webhooksRotateSecret', { parameters: [idParam('id')], responses: { '200': json(data(ref('schemas', 'WebhookEndpoint'))), ...notFound, ...errors } })),
  },
  '/webhooks/{id}/test': {
    post: post(webhooks('Send a webhook.test event', 'webhooksTest', { parameters: [idParam('id')], responses: { '202': json(data(ref('schemas', 'WebhookDelivery')), 'Queued'), ...notFound, ...errors } })),
  },
  '/webhooks/{id}/deliveries': {
    get: webhooks('Recent deliveries of an endpoint (newest first)', 'webhooksDeliveries', {
      parameters: [idParam('id'), { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100, default: 50 } }],
      responses: { '200': json(list('WebhookDelivery')), ...notFound, ...errors },
    }),
  },
  '/webhooks/{id}/deliveries/{deliveryId}': {
    get: webhooks('A delivery with its payload and every attempt (request headers, response, duration)', 'webhooksDelivery', {
      parameters: [idParam('id'), idParam('deliveryId')],
      responses: { '200': json(data(ref('schemas', 'WebhookDelivery'))), ...notFound, ...errors },
    }),
  },
  '/webhooks/{id}/deliveries/{deliveryId}/replay': {
    post: post(
      webhooks('Deliver again with the same webhook-id', 'webhooksReplay', {
        parameters: [idParam('id'), idParam('deliveryId')],
        responses: { '202': json(data(ref('schemas', 'WebhookDelivery')), 'Queued'), '409': ref('responses', 'Conflict'), ...notFound, ...errors },
      })
    ),
  },
  '/files': {
    get: { tags: ['files'], operationId: 'filesList', summary: 'Uploaded files (needs kernel.files.view)', responses: { '200': json(list('StoredFile')), ...errors } },
    post: post({
      tags: ['files'],
      operationId: 'filesUpload',
      summary: 'Upload a file; its type is checked from its content (needs kernel.files.manage)',
      requestBody: {
        required: true,
        content: { 'multipart/form-data': { schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } } } },
      },
      responses: {
        '201': json(data(ref('schemas', 'StoredFile')), 'Stored'),
        '413': { description: 'Too large (E_FILE_TOO_LARGE)' },
        '415': { description: 'Type not accepted, or content not matching the name (E_FILE_TYPE_NOT_ALLOWED, E_FILE_TYPE_MISMATCH)' },
        ...errors,
      },
    }),
  },
  '/files/{id}': {
    get: { tags: ['files'], operationId: 'filesShow', summary: 'File metadata (needs kernel.files.view)', parameters: [idParam('id')], responses: { '200': json(data(ref('schemas', 'StoredFile'))), ...notFound, ...errors } },
    delete: { tags: ['files'], operationId: 'filesDelete', summary: 'Delete a file (needs kernel.files.manage)', parameters: [idParam('id')], responses: { '204': { description: 'Deleted' }, ...notFound, ...errors } },
  },
  '/files/{id}/content': {
    get: {
      tags: ['files'],
      operationId: 'filesContent',
      summary: 'The bytes, with the stored type and an attachment Content-Disposition (inline=1 for images and PDF)',
      parameters: [idParam('id'), { name: 'inline', in: 'query', schema: { type: 'string', enum: ['1'] } }],
      responses: { '200': { description: 'The file', content: { '*/*': { schema: { type: 'string', format: 'binary' } } } }, ...notFound, ...errors },
    },
  },
  '/notifications': {
    get: {
      tags: ['notifications'],
      operationId: 'notificationsList',
      summary: "The token owner's notifications (newest first) and unread count",
      parameters: [{ name: 'filter', in: 'query', schema: { type: 'string', enum: ['unread'] } }],
      responses: {
        '200': json({ type: 'object', properties: { data: { type: 'array', items: ref('schemas', 'Notification') }, unread: { type: 'integer' } } }),
        ...errors,
      },
    },
  },
  '/notifications/read-all': {
    post: post({ tags: ['notifications'], operationId: 'notificationsReadAll', summary: 'Mark every notification read', responses: { '204': { description: 'Done' }, ...errors } }),
  },
  '/notifications/{id}/read': {
    post: post({
      tags: ['notifications'],
      operationId: 'notificationsRead',
      summary: 'Mark one notification read',
      parameters: [idParam('id')],
      responses: { '200': json(data(ref('schemas', 'Notification'))), ...notFound, ...errors },
    }),
  },
}

export function addPlatformPaths(doc: OpenApiDocument): OpenApiDocument {
  doc.paths = { ...doc.paths, ...paths }
  doc.components ??= {}
  doc.components.schemas = { ...(doc.components.schemas ?? {}), ...schemas }
  doc.components.responses ??= {}
  doc.components.responses.Conflict ??= {
    description: 'Conflict with the current state',
    content: { 'application/problem+json': { schema: ref('schemas', 'Problem') } },
  }
  doc.tags = [
    ...(doc.tags ?? []),
    { name: 'webhooks', description: 'Outgoing webhooks (Standard Webhooks signatures), delivery log and replay' },
    { name: 'files', description: 'Uploads, typed by content and served with a server-chosen type' },
    { name: 'notifications', description: 'The calling user’s notifications' },
  ]
  return doc
}
