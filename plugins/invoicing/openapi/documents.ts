/* OpenAPI fragment of /api/v1/quotes, /invoices, /credit-notes and /payments */
import { DOCUMENT_STATUSES } from '../models/document.js'
import { PAYMENT_METHODS } from '../models/payment.js'
import { TAX_CATEGORIES } from '../models/tax_rate.js'
import { PAYMENT_MEANS } from '../validators/documents.js'

const ref = (kind: string, name: string) => ({ $ref: `#/components/${kind}/${name}` })
const json = (schema: unknown) => ({ 'application/json': { schema } })
const one = (name: string) => json({ type: 'object', required: ['data'], properties: { data: ref('schemas', name) } })
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } }
const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: ref('schemas', 'Problem') } } })
const errors = { '401': ref('responses', 'Unauthorized'), '403': ref('responses', 'Forbidden'), '404': ref('responses', 'NotFound') }
const invalid = { '422': ref('responses', 'ValidationFailed') }
const conflict = { '409': problem('The document\'s status does not allow this (E_DOCUMENT_LOCKED: finalised content; E_INVALID_TRANSITION)') }
const nullable = (type: string, extra: Record<string, unknown> = {}) => ({ type: [type, 'null'], ...extra })
const date = (description?: string) => ({ type: ['string', 'null'], format: 'date', ...(description ? { description } : {}) })
const minor = (description = 'Integer minor units of the document currency') => ({ type: 'integer', description })
const stamp = nullable('string', { format: 'date-time', readOnly: true })
const decimal = (description: string) => ({ type: ['string', 'number'], description })

const DOCS = [
  ['/quotes', 'Quote', 'quote', 'Quotes'],
  ['/invoices', 'Invoice', 'invoice', 'Invoices'],
  ['/credit-notes', 'CreditNote', 'credit note', 'Credit notes'],
] as const

const listFilters = [
  { name: 'status', in: 'query', schema: { type: 'string', enum: [...DOCUMENT_STATUSES, 'overdue'] }, description: '"overdue": open invoices past their due date with a balance' },
  { name: 'client_id', in: 'query', schema: { type: 'integer' } },
  { name: 'issued_from', in: 'query', schema: { type: 'string', format: 'date' } },
  { name: 'issued_to', in: 'query', schema: { type: 'string', format: 'date' } },
  { name: 'due_from', in: 'query', schema: { type: 'string', format: 'date' } },
  { name: 'due_to', in: 'query', schema: { type: 'string', format: 'date' } },
  { name: 'min_total', in: 'query', schema: { type: 'integer' }, description: 'Minor units' },
  { name: 'max_total', in: 'query', schema: { type: 'integer' }, description: 'Minor units' },
  { name: 'q', in: 'query', schema: { type: 'string', maxLength: 100 }, description: 'Matches number, client name, buyer and order reference' },
]

function list(tag: string, operationId: string, summary: string, schema: string, sorts: string[], filters: unknown[]) {
  return {
    tags: [tag],
    operationId,
    summary,
    parameters: [
      ref('parameters', 'Limit'),
      ref('parameters', 'Cursor'),
      { name: 'sort', in: 'query', description: 'A leading "-" sorts descending', schema: { type: 'string', enum: sorts.flatMap((s) => [s, `-${s}`]) } },
      ...filters,
    ],
    responses: {
      '200': {
        description: 'One page',
        headers: { Link: ref('headers', 'Link') },
        content: json({ type: 'object', required: ['data', 'next_cursor'], properties: { data: { type: 'array', items: ref('schemas', schema) }, next_cursor: nullable('string') } }),
      },
      ...errors,
      ...invalid,
    },
  }
}

function action(tag: string, operationId: string, summary: string, response: unknown, body?: unknown, status = '200') {
  return {
    tags: [tag],
    operationId,
    summary,
    parameters: [idParam],
    ...(body ? { requestBody: { required: false, content: json(body) } } : {}),
    responses: { [status]: { description: summary, content: response }, ...errors, ...conflict, ...invalid },
  }
}

const paths: Record<string, unknown> = {}
for (const [path, name, label, tag] of DOCS) {
  paths[path] = {
    get: list(tag, `invoicingList${name}s`, `List ${label}s`, 'InvoicingDocument', ['issue_date', 'created_at', 'total', 'client_name', 'balance_due'], listFilters),
    post: {
      tags: [tag],
      operationId: `invoicingCreate${name}`,
      summary: name === 'CreditNote' ? 'Create a credit note for an issued invoice (all lines, or chosen lines and quantities)' : `Create a draft ${label}`,
      requestBody: { required: true, content: json(ref('schemas', name === 'CreditNote' ? 'InvoicingCreditNoteInput' : 'InvoicingDocumentInput')) },
      responses: { '201': { description: `The new ${label}`, content: one('InvoicingDocument') }, ...errors, ...invalid },
    },
  }
  paths[`${path}/{id}`] = {
    get: { tags: [tag], operationId: `invoicingShow${name}`, summary: `One ${label} with its lines`, parameters: [idParam], responses: { '200': { description: name, content: one('InvoicingDocument') }, ...errors } },
    patch: {
      tags: [tag],
      operationId: `invoicingUpdate${name}`,
      summary: `Change a draft ${label} (fields sent; \`lines\` replaces all lines)`,
      parameters: [idParam],
      requestBody: { required: true, content: json(ref('schemas', 'InvoicingDocumentPatch')) },
      responses: { '200': { description: `The changed ${label}`, content: one('InvoicingDocument') }, ...errors, ...conflict, ...invalid },
    },
    delete: { tags: [tag], operationId: `invoicingDelete${name}`, summary: `Delete a draft ${label}`, parameters: [idParam], responses: { '204': { description: 'Deleted' }, ...errors, ...conflict } },
  }
  paths[`${path}/{id}/finalize`] = {
    post: action(tag, `invoicingFinalize${name}`, `Finalise: assign the next number of the series, snapshot seller and buyer, lock the content`, one('InvoicingDocument')),
  }
  paths[`${path}/{id}/send`] = {
    post: action(
      tag,
      `invoicingSend${name}`,
      'Email the document with its PDF and public link (finalises a draft first); mark_only records it as sent another way',
      json({ type: 'object', properties: { data: ref('schemas', 'InvoicingDocument'), job: { type: 'object', properties: { id: nullable('string'), to: { type: 'string' } } } } }),
      { type: 'object', properties: { to: { type: 'string', format: 'email', description: 'Default: the client\'s email' }, mark_only: { type: 'boolean' } } },
      '202'
    ),
  }
  paths[`${path}/{id}/pdf`] = {
    get: {
      tags: [tag],
      operationId: `invoicingPdf${name}`,
      summary: 'The PDF (cached per document version)',
      parameters: [idParam],
      responses: { '200': { description: 'PDF', content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } } }, ...errors },
    },
  }
}
paths['/invoices/{id}/void'] = {
  post: action('Invoices', 'invoicingVoidInvoice', 'Void with a full credit note (finalised in the same transaction); anything paid becomes client credit', json({ type: 'object', properties: { data: ref('schemas', 'InvoicingDocument'), credit_note: ref('schemas', 'InvoicingDocument') } })),
}
paths['/invoices/{id}/write-off'] = {
  post: action('Invoices', 'invoicingWriteOffInvoice', 'Write off the open balance', one('InvoicingDocument'), { type: 'object', properties: { reason: nullable('string', { maxLength: 500 }) } }),
}
paths['/invoices/{id}/apply-credit'] = {
  post: action('Invoices', 'invoicingApplyCredit', 'Apply the client\'s credit (same currency) to the balance', json({ type: 'object', properties: { data: ref('schemas', 'InvoicingDocument'), applied: { type: 'integer' } } }), { type: 'object', properties: { amount: { type: 'integer', minimum: 1, description: 'Default: as much as possible' } } }),
}
paths['/quotes/{id}/accept'] = { post: action('Quotes', 'invoicingAcceptQuote', 'Accept an issued quote (not after valid_until)', one('InvoicingDocument')) }
paths['/quotes/{id}/decline'] = { post: action('Quotes', 'invoicingDeclineQuote', 'Decline an issued quote', one('InvoicingDocument')) }
paths['/quotes/{id}/convert'] = { post: action('Quotes', 'invoicingConvertQuote', 'Create a draft invoice from the quote; the quote becomes converted', one('InvoicingDocument'), undefined, '201') }

paths['/payments'] = {
  get: list('Payments', 'invoicingListPayments', 'List payments and refunds', 'InvoicingPayment', ['paid_on', 'created_at', 'amount'], [
    { name: 'client_id', in: 'query', schema: { type: 'integer' } },
    { name: 'invoice_id', in: 'query', schema: { type: 'integer' } },
    { name: 'kind', in: 'query', schema: { type: 'string', enum: ['payment', 'refund'] } },
    { name: 'method', in: 'query', schema: { type: 'string', enum: PAYMENT_METHODS } },
    { name: 'paid_from', in: 'query', schema: { type: 'string', format: 'date' } },
    { name: 'paid_to', in: 'query', schema: { type: 'string', format: 'date' } },
    { name: 'min_amount', in: 'query', schema: { type: 'integer' } },
    { name: 'max_amount', in: 'query', schema: { type: 'integer' } },
    { name: 'q', in: 'query', schema: { type: 'string' }, description: 'Matches the reference' },
  ]),
  post: {
    tags: ['Payments'],
    operationId: 'invoicingRecordPayment',
    summary: 'Record a payment against an invoice (partial allowed; an excess becomes client credit) or as credit for a client',
    requestBody: { required: true, content: json(ref('schemas', 'InvoicingPaymentInput')) },
    responses: {
      '201': { description: 'Recorded', content: json({ type: 'object', properties: { data: ref('schemas', 'InvoicingPayment'), applied: { type: 'integer' }, credited: { type: 'integer' }, invoice: { oneOf: [ref('schemas', 'InvoicingDocument'), { type: 'null' }] } } }) },
      ...errors,
      ...conflict,
      ...invalid,
    },
  },
}
paths['/payments/{id}'] = {
  get: { tags: ['Payments'], operationId: 'invoicingShowPayment', summary: 'One payment with its allocations', parameters: [idParam], responses: { '200': { description: 'Payment', content: one('InvoicingPayment') }, ...errors } },
}
paths['/payments/{id}/refund'] = {
  post: action(
    'Payments',
    'invoicingRefundPayment',
    'Refund (part of) a payment: unused credit first, then the invoices it paid reopen',
    json({ type: 'object', properties: { data: ref('schemas', 'InvoicingPayment'), reopened_invoice_ids: { type: 'array', items: { type: 'integer' } } } }),
    { type: 'object', properties: { amount: { type: 'integer', minimum: 1 }, paid_on: { type: 'string', format: 'date' }, reference: { type: 'string' }, method: { type: 'string', enum: PAYMENT_METHODS } } },
    '201'
  ),
}

const lineInput = {
  type: 'object',
  required: ['description', 'quantity', 'unit_price'],
  properties: {
    product_id: nullable('integer'),
    description: { type: 'string', minLength: 1, maxLength: 2000 },
    quantity: decimal('Decimal with up to 4 places, e.g. "1.5"'),
    unit: nullable('string', { pattern: '^[A-Z0-9]{1,3}$', description: 'UN/ECE Rec 20 code (C62 piece, HUR hour, DAY day)' }),
    unit_price: minor('Minor units; gross when prices_include_tax'),
    discount_percent: decimal('Line discount in percent (up to 3 decimals)'),
    discount_amount: { type: 'integer', minimum: 0, description: 'Line discount in minor units' },
    tax_rate_id: nullable('integer', { description: 'Copies rate, category and exemption reason from the tenant\'s tax rate' }),
    tax_percent: decimal('Without tax_rate_id: the rate, e.g. "19"'),
    tax_category: { type: 'string', enum: TAX_CATEGORIES, description: 'UNCL5305 (EN 16931 BT-151)' },
    tax_exemption_reason: nullable('string', { maxLength: 500, description: 'Required for E, AE, K, G, O' }),
  },
}

const headerInput = {
  currency: { type: 'string', pattern: '^[A-Za-z]{3}$', description: 'ISO 4217; default the client\'s' },
  language: { type: 'string' },
  prices_include_tax: { type: 'boolean' },
  series_id: nullable('integer'),
  issue_date: date('Default today'),
  due_date: date('Default issue date + payment terms at finalisation'),
  delivery_date: date('EN 16931 BT-72'),
  valid_until: date('Quotes'),
  buyer_reference: nullable('string', { maxLength: 200, description: 'EN 16931 BT-10' }),
  order_reference: nullable('string', { maxLength: 200, description: 'EN 16931 BT-13' }),
  payment_means_code: { type: 'string', enum: PAYMENT_MEANS, description: 'UNCL4461 (EN 16931 BT-81), default 58 SEPA credit transfer' },
  payment_terms_days: nullable('integer', { minimum: 0, maximum: 365 }),
  notes: nullable('string', { maxLength: 5000 }),
  terms: nullable('string', { maxLength: 5000 }),
  footer: nullable('string', { maxLength: 2000 }),
  discount_percent: decimal('Document discount in percent'),
  discount_amount: nullable('integer', { minimum: 0, description: 'Document discount in minor units' }),
}

const line = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    position: { type: 'integer' },
    product_id: nullable('integer'),
    description: { type: 'string' },
    quantity: { type: 'string' },
    unit: { type: 'string' },
    unit_price: minor(),
    discount_type: nullable('string', { enum: ['percent', 'amount', null] }),
    discount_percent: nullable('string'),
    discount_amount: nullable('integer'),
    tax_rate_id: nullable('integer'),
    tax_name: nullable('string'),
    tax_percent: { type: 'string' },
    tax_category: { type: 'string', enum: TAX_CATEGORIES },
    tax_exemption_reason: nullable('string'),
    amount: minor('Line amount after the line discount, rounded half away from zero'),
  },
}

const party = nullable('object', {
  description: 'Snapshot taken at finalisation',
  properties: Object.fromEntries(
    ['name', 'legalName', 'contactName', 'email', 'phone', 'vatId', 'taxId', 'addressLine1', 'addressLine2', 'postalCode', 'city', 'region', 'country'].map((k) => [k, nullable('string')])
  ),
})

export default {
  paths,
  components: {
    schemas: {
      InvoicingDocument: {
        type: 'object',
        properties: {
          id: { type: 'integer' },
          type: { type: 'string', enum: ['quote', 'invoice', 'credit_note'] },
          status: { type: 'string', enum: DOCUMENT_STATUSES },
          overdue: { type: 'boolean' },
          number: nullable('string', { description: 'Assigned at finalisation' }),
          client_id: { type: 'integer' },
          client_name: { type: 'string' },
          related_document_id: nullable('integer', { description: 'Credit note: the invoice; invoice: the quote' }),
          ...headerInput,
          issue_date: { type: 'string', format: 'date' },
          discount_type: nullable('string'),
          discount_percent: nullable('string'),
          subtotal: minor(),
          discount_total: minor(),
          net_total: minor(),
          tax_total: minor(),
          total: minor(),
          amount_paid: minor(),
          amount_credited: minor(),
          balance_due: minor(),
          tax_breakdown: {
            type: 'array',
            items: { type: 'object', properties: { tax_percent: { type: 'string' }, tax_category: { type: 'string' }, exemption_reason: nullable('string'), net: minor(), tax: minor() } },
          },
          seller: party,
          buyer: party,
          public_path: nullable('string', { description: 'Path of the public page on the tenant host' }),
          version: { type: 'integer' },
          finalized_at: stamp,
          sent_at: stamp,
          viewed_at: stamp,
          paid_at: stamp,
          voided_at: stamp,
          written_off_at: stamp,
          accepted_at: stamp,
          declined_at: stamp,
          created_at: stamp,
          updated_at: stamp,
          lines: { type: 'array', items: line, description: 'On single-document answers' },
        },
      },
      InvoicingDocumentInput: {
        type: 'object',
        required: ['client_id', 'lines'],
        properties: { client_id: { type: 'integer' }, ...headerInput, lines: { type: 'array', items: lineInput, maxItems: 500 } },
      },
      InvoicingDocumentPatch: {
        type: 'object',
        properties: { client_id: { type: 'integer' }, ...headerInput, lines: { type: 'array', items: lineInput, maxItems: 500 } },
      },
      InvoicingCreditNoteInput: {
        type: 'object',
        required: ['invoice_id'],
        properties: {
          invoice_id: { type: 'integer' },
          lines: { type: 'array', items: { type: 'object', required: ['line_id'], properties: { line_id: { type: 'integer' }, quantity: decimal('At most the invoiced quantity') } } },
          finalize: { type: 'boolean', description: 'Finalise at once (applies the credit to the invoice)' },
        },
      },
      InvoicingPayment: {
        type: 'object',
        properties: {
          id: { type: 'integer' },
          kind: { type: 'string', enum: ['payment', 'refund'] },
          client_id: { type: 'integer' },
          method: { type: 'string', enum: PAYMENT_METHODS },
          currency: { type: 'string' },
          amount: minor(),
          fee: minor('Gateway fee'),
          refunded_amount: minor(),
          paid_on: { type: 'string', format: 'date' },
          reference: nullable('string'),
          gateway: nullable('string'),
          gateway_reference: nullable('string'),
          refund_of_id: nullable('integer'),
          notes: nullable('string'),
          created_at: stamp,
          allocations: { type: 'array', items: { type: 'object', properties: { invoice_id: { type: 'integer' }, source: { type: 'string' }, amount: minor() } } },
        },
      },
      InvoicingPaymentInput: {
        type: 'object',
        required: ['amount', 'currency', 'method'],
        properties: {
          invoice_id: { type: 'integer', description: 'Required unless client_id is given' },
          client_id: { type: 'integer', description: 'Without an invoice: the whole amount becomes client credit' },
          amount: { type: 'integer', minimum: 1 },
          currency: { type: 'string', pattern: '^[A-Za-z]{3}$' },
          method: { type: 'string', enum: PAYMENT_METHODS },
          paid_on: date('Default today'),
          reference: nullable('string', { maxLength: 200 }),
          notes: nullable('string', { maxLength: 2000 }),
        },
      },
    },
  },
}
