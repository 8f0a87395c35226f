/* OpenAPI fragment of /api/v1/clients, /contacts, /products, /tax-rates */
import { CLIENT_KINDS, CLIENT_LANGUAGES } from '../validators/parties.js'
import { TAX_CATEGORIES } from '../models/tax_rate.js'
import { clientsListing } from '../services/clients.js'
import { productsListing, taxRatesListing } from '../services/catalogue.js'
import { contactsListing } from '../controllers/contacts_api_controller.js'
import { profilesListing } from '../services/recurring.js'
import { RECURRING_INTERVALS } from '../models/recurring_profile.js'

const ref = (kind: string, name: string) => ({ $ref: `#/components/${kind}/${name}` })
const json = (schema: unknown) => ({ 'application/json': { schema } })
const one = (name: string) => json({ type: 'object', required: ['data'], properties: { data: ref('schemas', name) } })
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } }
const errors = {
  '401': ref('responses', 'Unauthorized'),
  '403': ref('responses', 'Forbidden'),
  '404': ref('responses', 'NotFound'),
}
const invalid = { '422': ref('responses', 'ValidationFailed') }
const str = (maxLength: number) => ({ type: ['string', 'null'], maxLength })
const stamp = { type: 'string', format: 'date-time', readOnly: true }

function list(tag: string, operationId: string, summary: string, schema: string, sorts: string[], filters: unknown[]) {
  return {
    tags: [tag],
    operationId,
    summary,
    parameters: [
      ref('parameters', 'Limit'),
      ref('parameters', 'Cursor'),
      { name: 'sort', in: 'query', description: 'A leading "-" sorts descending', schema: { type: 'string', enum: sorts } },
      ...filters,
    ],
    responses: {
      '200': {
        description: 'One page',
        headers: { Link: ref('headers', 'Link') },
        content: json({
          type: 'object',
          required: ['data', 'next_cursor'],
          properties: { data: { type: 'array', items: ref('schemas', schema) }, next_cursor: { type: ['string', 'null'] } },
        }),
      },
      ...errors,
      ...invalid,
    },
  }
}

function crud(tag: string, name: string, plural: string, input: string, patch: string, deleteSays: string) {
  return {
    get: { tags: [tag], operationId: `invoicingShow${name}`, summary: `One ${name.toLowerCase()}`, parameters: [idParam], responses: { '200': { description: name, content: one(name) }, ...errors } },
    patch: {
      tags: [tag],
      operationId: `invoicingUpdate${name}`,
      summary: `Change fields of a ${name.toLowerCase()} (only the fields sent)`,
      parameters: [idParam],
      requestBody: { required: true, content: json(ref('schemas', patch)) },
      responses: { '200': { description: `The changed ${name.toLowerCase()}`, content: one(name) }, ...errors, ...invalid },
    },
    delete: { tags: [tag], operationId: `invoicingDelete${name}`, summary: deleteSays, parameters: [idParam], responses: { '204': { description: 'Done' }, ...errors } },
    create: {
      tags: [tag],
      operationId: `invoicingCreate${name}`,
      summary: `Create a ${name.toLowerCase()}`,
      requestBody: { required: true, content: json(ref('schemas', input)) },
      responses: { '201': { description: `The new ${name.toLowerCase()}`, content: one(name) }, ...errors, ...invalid },
    },
    plural,
  }
}

const clientFields = {
  kind: { type: 'string', enum: CLIENT_KINDS },
  name: { type: 'string', minLength: 1, maxLength: 200 },
  email: { type: ['string', 'null'], format: 'email', maxLength: 254 },
  phone: str(50),
  vat_id: { type: ['string', 'null'], maxLength: 30, description: 'VAT id with country prefix; spaces are removed, letters upper-cased' },
  tax_id: str(50),
  currency: { type: 'string', description: 'ISO 4217 code', pattern: '^[A-Za-z]{3}$' },
  language: { type: 'string', enum: CLIENT_LANGUAGES },
  payment_terms_days: { type: ['integer', 'null'], minimum: 0, maximum: 365, description: 'null: the plugin setting applies' },
  address_line1: str(200),
  address_line2: str(200),
  postal_code: str(20),
  city: str(100),
  region: str(100),
  country: { type: ['string', 'null'], description: 'ISO 3166-1 alpha-2', pattern: '^[A-Za-z]{2}$' },
  notes: str(5000),
}
const contactFields = {
  first_name: { type: 'string', minLength: 1, maxLength: 100 },
  last_name: str(100),
  email: { type: ['string', 'null'], format: 'email', maxLength: 254 },
  phone: str(50),
  role: str(100),
  is_primary: { type: 'boolean', description: 'One primary contact per client: setting it unsets the others' },
}
const productFields = {
  name: { type: 'string', minLength: 1, maxLength: 200 },
  description: str(5000),
  sku: { type: ['string', 'null'], maxLength: 64, description: 'Unique per workspace' },
  unit: { type: 'string', pattern: '^[A-Za-z0-9]{2,3}$', description: 'UN/ECE Recommendation 20 code (C62 piece, HUR hour, DAY day)' },
  unit_price: { type: 'integer', description: 'Net price in minor units of `currency` (12.50 EUR = 1250; 1500 JPY = 1500; 1.250 KWD = 1250)' },
  currency: { type: 'string', pattern: '^[A-Za-z]{3}$' },
  tax_rate_id: { type: ['integer', 'null'] },
}
const taxFields = {
  name: { type: 'string', minLength: 1, maxLength: 100, description: 'Unique per workspace' },
  rate: { type: 'integer', minimum: 0, maximum: 100000, description: 'Thousandths of a percent: 19% = 19000, 7.7% = 7700' },
  category: { type: 'string', enum: TAX_CATEGORIES, description: 'EN 16931 VAT category (UNCL5305). Z, E, AE, K, G, O carry 0%; S is above 0%' },
  exemption_reason: { type: ['string', 'null'], maxLength: 500, description: 'Required for E, AE, K, G and O' },
  is_default: { type: 'boolean', description: 'One default rate per workspace' },
}
const readOnly = (props: Record<string, unknown>) => ({ id: { type: 'integer', readOnly: true }, ...props, created_at: stamp, updated_at: stamp })

const clients = crud('invoicing', 'Client', 'clients', 'ClientInput', 'ClientPatch', 'Archive a client (clients are never deleted: documents keep pointing at them)')
const contacts = crud('invoicing', 'Contact', 'contacts', 'ContactCreate', 'ContactPatch', 'Delete a contact')
const products = crud('invoicing', 'Product', 'products', 'ProductInput', 'ProductPatch', 'Archive a product')
const taxRates = crud('invoicing', 'TaxRate', 'tax rates', 'TaxRateInput', 'TaxRatePatch', 'Archive a tax rate (issued documents keep their copy)')
const status = { name: 'status', in: 'query', schema: { type: 'string', enum: ['active', 'archived', 'all'], default: 'active' } }
const q = (what: string) => ({ name: 'q', in: 'query', description: `Case-insensitive search in ${what}`, schema: { type: 'string', maxLength: 100 } })
const recurring = crud('invoicing', 'RecurringInvoice', 'recurring invoices', 'RecurringInvoiceInput', 'RecurringInvoicePatch', 'Delete a profile that has billed nothing; otherwise end it')
const profileAction = (operationId: string, summary: string) => ({
  post: { tags: ['invoicing'], operationId, summary, parameters: [idParam], responses: { '200': { description: 'The profile', content: one('RecurringInvoice') }, ...errors } },
})
const templateLine = {
  type: 'object',
  required: ['description', 'quantity', 'unit_price'],
  properties: {
    product_id: { type: ['integer', 'null'] },
    description: { type: 'string', minLength: 1, maxLength: 2000 },
    quantity: { type: ['string', 'number'], description: 'Decimal with up to 4 places, e.g. "1.5"' },
    unit: { type: ['string', 'null'], description: 'UN/ECE Rec 20 code, default C62' },
    unit_price: { type: 'integer', description: 'Minor units of the profile currency' },
    tax_rate_id: { type: ['integer', 'null'] },
  },
}
const recurringFields = {
  client_id: { type: 'integer' },
  name: { type: 'string', minLength: 1, maxLength: 200 },
  currency: { type: ['string', 'null'], description: "ISO 4217; the client's currency when left out" },
  interval: { type: 'string', enum: RECURRING_INTERVALS },
  interval_days: { type: ['integer', 'null'], minimum: 1, description: 'Required when interval is custom' },
  start_on: { type: 'string', format: 'date', description: 'The first period (invoice date)' },
  end_on: { type: ['string', 'null'], format: 'date', description: 'No period after this date is billed' },
  auto_finalize: { type: 'boolean' },
  auto_send: { type: 'boolean', description: 'Implies auto_finalize; mails the invoice to the client email or primary contact' },
  payment_terms_days: { type: ['integer', 'null'], minimum: 0, maximum: 365 },
  notes: str(5000),
  terms: str(5000),
  lines: { type: 'array', minItems: 1, items: templateLine },
}
const strip = ({ create: _c, plural: _p, ...rest }: ReturnType<typeof crud>) => rest

export default {
  paths: {
    '/clients': {
      get: list('invoicing', 'invoicingListClients', 'Clients (needs invoicing.clients.view)', 'Client', clientsListing.sortValues, [
        q('name, email, VAT id, tax number, city and contacts'),
        { name: 'kind', in: 'query', schema: { type: 'string', enum: CLIENT_KINDS } },
        { name: 'country', in: 'query', schema: { type: 'string', pattern: '^[A-Za-z]{2}$' } },
        { name: 'currency', in: 'query', schema: { type: 'string', pattern: '^[A-Za-z]{3}$' } },
        status,
      ]),
      post: clients.create,
    },
    '/clients/{id}': strip(clients),
    '/clients/{id}/restore': {
      post: { tags: ['invoicing'], operationId: 'invoicingRestoreClient', summary: 'Restore an archived client', parameters: [idParam], responses: { '200': { description: 'The client', content: one('Client') }, ...errors } },
    },
    '/clients/merge': {
      post: {
        tags: ['invoicing'],
        operationId: 'invoicingMergeClients',
        summary: 'Merge a duplicate into the client that stays: contacts, documents and payments move, the duplicate is archived',
        requestBody: {
          required: true,
          content: json({ type: 'object', required: ['survivor_id', 'duplicate_id'], properties: { survivor_id: { type: 'integer' }, duplicate_id: { type: 'integer' } } }),
        },
        responses: {
          '200': {
            description: 'Merged',
            content: json({ type: 'object', properties: { data: { type: 'object', properties: { survivor: ref('schemas', 'Client'), merged: ref('schemas', 'Client'), moved_contacts: { type: 'integer' } } } } }),
          },
          ...errors,
          ...invalid,
        },
      },
    },
    '/clients/{id}/contacts': {
      get: { ...list('invoicing', 'invoicingListClientContacts', "A client's contacts", 'Contact', contactsListing.sortValues, [q('name and email')]), parameters: [idParam, ref('parameters', 'Limit'), ref('parameters', 'Cursor')] },
      post: { ...contacts.create, operationId: 'invoicingCreateClientContact', parameters: [idParam], requestBody: { required: true, content: json(ref('schemas', 'ContactInput')) } },
    },
    '/contacts': {
      get: list('invoicing', 'invoicingListContacts', 'Contacts of all clients', 'Contact', contactsListing.sortValues, [
        { name: 'client_id', in: 'query', schema: { type: 'integer' } },
        q('name and email'),
      ]),
      post: contacts.create,
    },
    '/contacts/{id}': strip(contacts),
    '/products': {
      get: list('invoicing', 'invoicingListProducts', 'Products and services (needs invoicing.catalogue.view)', 'Product', productsListing.sortValues, [
        q('name, SKU and description'),
        { name: 'currency', in: 'query', schema: { type: 'string' } },
        { name: 'tax_rate_id', in: 'query', schema: { type: 'integer' } },
        status,
      ]),
      post: products.create,
    },
    '/products/{id}': strip(products),
    '/tax-rates': {
      get: list('invoicing', 'invoicingListTaxRates', 'Tax rates', 'TaxRate', taxRatesListing.sortValues, [
        { name: 'category', in: 'query', schema: { type: 'string', enum: TAX_CATEGORIES } },
        status,
      ]),
      post: taxRates.create,
    },
    '/tax-rates/{id}': strip(taxRates),
    '/recurring-invoices': {
      get: list('invoicing', 'invoicingListRecurringInvoices', 'Recurring invoice profiles (needs invoicing.documents.view)', 'RecurringInvoice', profilesListing.sortValues, [
        { name: 'status', in: 'query', schema: { type: 'string', enum: ['active', 'paused', 'ended'] } },
        { name: 'client_id', in: 'query', schema: { type: 'integer' } },
      ]),
      post: recurring.create,
    },
    '/recurring-invoices/{id}': strip(recurring),
    '/recurring-invoices/{id}/pause': profileAction('invoicingPauseRecurringInvoice', 'Pause: no invoices until resumed'),
    '/recurring-invoices/{id}/resume': profileAction('invoicingResumeRecurringInvoice', 'Resume a paused profile'),
    '/recurring-invoices/{id}/run': profileAction('invoicingRunRecurringInvoice', 'Bill the due periods now (each period is billed once); the answer lists created_invoice_ids'),
  } as Record<string, unknown>,
  components: {
    schemas: {
      Client: { type: 'object', properties: readOnly({ ...clientFields, archived_at: { type: ['string', 'null'], format: 'date-time' }, merged_into_id: { type: ['integer', 'null'] } }) },
      ClientInput: { type: 'object', required: ['kind', 'name', 'currency', 'language'], properties: clientFields },
      ClientPatch: { type: 'object', properties: clientFields },
      Contact: { type: 'object', properties: readOnly({ client_id: { type: 'integer' }, ...contactFields }) },
      ContactInput: { type: 'object', required: ['first_name'], properties: contactFields },
      ContactCreate: { type: 'object', required: ['client_id', 'first_name'], properties: { client_id: { type: 'integer' }, ...contactFields } },
      ContactPatch: { type: 'object', properties: contactFields },
      Product: {
        type: 'object',
        properties: readOnly({ ...productFields, unit_price_decimal: { type: 'string', readOnly: true, description: 'unit_price as a decimal string' }, archived_at: { type: ['string', 'null'], format: 'date-time' } }),
      },
      ProductInput: { type: 'object', required: ['name', 'unit', 'unit_price', 'currency'], properties: productFields },
      ProductPatch: { type: 'object', properties: productFields },
      TaxRate: { type: 'object', properties: readOnly({ ...taxFields, percent: { type: 'string', readOnly: true, description: 'The rate as a percentage, e.g. "7.7"' }, archived_at: { type: ['string', 'null'], format: 'date-time' } }) },
      TaxRateInput: { type: 'object', required: ['name', 'rate', 'category'], properties: taxFields },
      TaxRatePatch: { type: 'object', properties: taxFields },
      RecurringInvoice: {
        type: 'object',
        properties: readOnly({
          ...recurringFields,
          next_run_on: { type: ['string', 'null'], format: 'date', readOnly: true },
          last_run_on: { type: ['string', 'null'], format: 'date', readOnly: true },
          occurrences: { type: 'integer', readOnly: true },
          status: { type: 'string', enum: ['active', 'paused', 'ended'], readOnly: true },
        }),
      },
      RecurringInvoiceInput: { type: 'object', required: ['client_id', 'name', 'interval', 'start_on', 'lines'], properties: recurringFields },
      RecurringInvoicePatch: { type: 'object', properties: recurringFields },
    } as Record<string, unknown>,
  },
}
