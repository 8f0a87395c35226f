/* OpenAPI fragment of /api/v1/gateway-payments (amounts in integer minor units) */
const ref = (kind: string, name: string) => ({ $ref: `#/components/${kind}/${name}` })
const json = (schema: unknown) => ({ 'application/json': { schema } })
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } }
const errors = { '401': ref('responses', 'Unauthorized'), '403': ref('responses', 'Forbidden'), '404': ref('responses', 'NotFound') }
const minor = { type: 'integer', description: 'Integer minor units of the currency' }
const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: { type: 'object' } } } })

export default {
  paths: {
    '/gateway-payments': {
      get: {
        tags: ['Payments'],
        operationId: 'paymentsListGatewayPayments',
        summary: 'Online payments (one per Stripe PaymentIntent) with fee and net, newest first',
        parameters: [
          { name: 'status', in: 'query', schema: { type: 'string', enum: ['processing', 'succeeded', 'failed', 'refunded', 'partially_refunded'] } },
          { name: 'client', in: 'query', description: 'Invoicing client id: payments of its invoices only (another tenant\'s id → 404)', schema: { type: 'integer', minimum: 1 } },
          { name: 'from', in: 'query', description: 'Paid on or after (UTC day)', schema: { type: 'string', format: 'date' } },
          { name: 'to', in: 'query', description: 'Paid on or before (UTC day)', schema: { type: 'string', format: 'date' } },
          { name: 'amount_min', in: 'query', schema: { ...minor, minimum: 0 } },
          { name: 'amount_max', in: 'query', schema: { ...minor, minimum: 0 } },
          { name: 'currency', in: 'query', schema: { type: 'string', pattern: '^[A-Za-z]{3}$' } },
          { name: 'dispute', in: 'query', description: 'yes: a dispute was opened (open, won or lost); no: never disputed', schema: { type: 'string', enum: ['yes', 'no'] } },
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } },
          { name: 'before', in: 'query', description: 'next_before of the previous page', schema: { type: 'integer', minimum: 1 } },
        ],
        responses: {
          '200': { description: 'One page', content: json({ type: 'object', required: ['data', 'next_before', 'totals'], properties: { data: { type: 'array', items: ref('schemas', 'GatewayPayment') }, next_before: { type: ['integer', 'null'] }, totals: { type: 'array', description: 'Per currency over every page of the filtered set', items: { type: 'object', properties: { currency: { type: 'string' }, count: { type: 'integer' }, gross: minor, fees: minor, net: minor, refunded: minor } } } } }) },
          ...errors,
          '422': ref('responses', 'ValidationFailed'),
        },
      },
    },
    '/gateway-payments/{id}': {
      get: {
        tags: ['Payments'],
        operationId: 'paymentsShowGatewayPayment',
        summary: 'One online payment',
        parameters: [idParam],
        responses: { '200': { description: 'The payment', content: json({ type: 'object', properties: { data: ref('schemas', 'GatewayPayment') } }) }, ...errors },
      },
    },
    '/gateway-payments/{id}/refunds': {
      post: {
        tags: ['Payments'],
        operationId: 'paymentsRefundGatewayPayment',
        summary: 'Refunds all or part of an online payment at the gateway and in the ledger; send an Idempotency-Key to retry safely',
        parameters: [idParam, { name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 255 } }],
        requestBody: { required: false, content: json({ type: 'object', properties: { amount: { ...minor, minimum: 1, description: 'Default: all that is left' } } }) },
        responses: {
          '201': { description: 'Refunded', content: json({ type: 'object', properties: { data: { type: 'object', properties: { refund_id: { type: 'string' }, amount: minor, payment: ref('schemas', 'GatewayPayment') } } } }) },
          ...errors,
          '422': problem('Invalid amount, or larger than what is left (E_REFUND_TOO_LARGE)'),
          '502': problem('Stripe could not complete the request (E_STRIPE_CALL_FAILED); retry with the same Idempotency-Key'),
        },
      },
    },
  },
  components: {
    schemas: {
      GatewayPayment: {
        type: 'object',
        properties: {
          id: { type: 'integer' },
          gateway: { type: 'string' },
          reference: { type: 'string', description: 'The PaymentIntent id for Stripe' },
          charge_id: { type: ['string', 'null'] },
          invoice_id: { type: ['integer', 'null'] },
          ledger_payment_id: { type: ['integer', 'null'], description: 'The invoicing ledger payment' },
          status: { type: 'string', enum: ['processing', 'succeeded', 'failed', 'refunded', 'partially_refunded'] },
          currency: { type: 'string' },
          amount: minor,
          fee: { type: ['integer', 'null'] },
          net: minor,
          amount_refunded: minor,
          dispute_status: { type: 'string', enum: ['none', 'open', 'won', 'lost'] },
          created_at: { type: 'string', format: 'date-time' },
        },
      },
    },
  },
}
