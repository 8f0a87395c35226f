/*
| CSV import of clients in two steps: `previewImport` parses and validates every row without
| writing anything (the preview page shows which rows will be created and each row's errors),
| `runImport` parses the same text again and creates the valid rows. Nothing is kept between
| the steps: the confirm form carries the CSV text back.
*/
import { parse } from 'csv-parse/sync'
import { errors as vineErrors } from '@vinejs/vine'
import type { MessagesProviderContact } from '@vinejs/vine/types'
import { audit } from '#services/audit_service'
import plugins from '#kernel/plugin_service'
import { tenantContext } from '#tenancy/tenant_context'
import Client from '../models/client.js'
import { clientValidator, contactValidator } from '../validators/parties.js'
import { addContact, createClient, type ClientInput, type ContactInput } from './clients.js'

export const MAX_IMPORT_BYTES = 1024 * 1024
export const MAX_IMPORT_ROWS = 2000

/** Accepted header names (lower case, spaces and dashes as underscores) → field */
const HEADERS: Record<string, string> = {
  kind: 'kind', type: 'kind',
  name: 'name', company: 'name', client: 'name',
  email: 'email', e_mail: 'email',
  phone: 'phone', telephone: 'phone',
  vat_id: 'vat_id', vat: 'vat_id', vat_number: 'vat_id', ust_idnr: 'vat_id',
  tax_id: 'tax_id', tax_number: 'tax_id',
  currency: 'currency',
  language: 'language',
  payment_terms_days: 'payment_terms_days', payment_terms: 'payment_terms_days',
  address_line1: 'address_line1', address: 'address_line1', street: 'address_line1',
  address_line2: 'address_line2',
  postal_code: 'postal_code', zip: 'postal_code', postcode: 'postal_code',
  city: 'city', region: 'region', state: 'region', country: 'country',
  notes: 'notes',
  contact_first_name: 'contact_first_name', contact_last_name: 'contact_last_name',
  contact_email: 'contact_email', contact_phone: 'contact_phone', contact_role: 'contact_role',
}

export interface RowError {
  field: string
  message: string
}

export interface PreviewRow {
  /** line in the file (the header is line 1) */
  line: number
  values: Record<string, string>
  errors: RowError[]
  client?: ClientInput
  contact?: ContactInput
}

export interface ImportPreview {
  /** a problem with the file as a whole (unreadable, no name column, too many rows) */
  fileError: string | null
  columns: string[]
  unknownColumns: string[]
  rows: PreviewRow[]
  valid: number
  invalid: number
}

type Translate = (key: string, data?: Record<string, unknown>) => string

function normaliseHeader(header: string) {
  return header.replace(/^\uFEFF/, '').trim().toLowerCase().replace(/[\s\-.]+/g, '_')
}

function rowMessages(translate: Translate): MessagesProviderContact {
  return {
    getMessage(message, rule, field, meta) {
      const key = `invoicing.import.rule_${rule}`
      const text = translate(key, { field: String(field.name), ...meta })
      return text === key ? message.replace('{{ field }}', String(field.name)) : text
    },
  }
}

async function validateRow(validator: typeof clientValidator | typeof contactValidator, data: unknown, translate: Translate, prefix = '') {
  try {
    return { value: (await validator.validate(data, { messagesProvider: rowMessages(translate) })) as any, errors: [] as RowError[] }
  } catch (error) {
    if (!(error instanceof vineErrors.E_VALIDATION_ERROR)) throw error
    const messages = (error as any).messages as Array<{ field: string; message: string }>
    return { value: null, errors: messages.map((m) => ({ field: prefix + m.field, message: m.message })) }
  }
}

export async function previewImport(text: string, translate: Translate): Promise<ImportPreview> {
  const empty = (fileError: string): ImportPreview => ({ fileError, columns: [], unknownColumns: [], rows: [], valid: 0, invalid: 0 })
  if (Buffer.byteLength(text) > MAX_IMPORT_BYTES) return empty(translate('invoicing.import.too_large'))
  let records: string[][]
  try {
    /* A semicolon-separated file (the German spreadsheet default) is recognised by its header */
    const firstLine = text.split(/\r?\n/, 1)[0] ?? ''
    const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ','
    records = parse(text, { delimiter, bom: true, skip_empty_lines: true, relax_column_count: true, trim: true })
  } catch (error) {
    return empty(translate('invoicing.import.unreadable', { reason: (error as Error).message.slice(0, 200) }))
  }
  if (records.length < 2) return empty(translate('invoicing.import.no_rows'))
  if (records.length - 1 > MAX_IMPORT_ROWS) return empty(translate('invoicing.import.too_many_rows', { max: MAX_IMPORT_ROWS }))

  const headers = records[0].map(normaliseHeader)
  const fields = headers.map((h) => HEADERS[h] ?? null)
  if (!fields.includes('name')) return empty(translate('invoicing.import.no_name_column'))
  const unknownColumns = records[0].filter((_, i) => fields[i] === null)

  const tenant = tenantContext.requireTenant('client import')
  const settings = await plugins.settingsFor(tenant.id, 'invoicing')
  const defaults = {
    kind: 'company',
    currency: String(settings.defaultCurrency || tenant.currency || 'EUR'),
    language: tenant.locale?.slice(0, 2) === 'de' ? 'de' : 'en',
  }

  /* Existing clients by VAT id and email, to refuse duplicates before they are created */
  const existing = await Client.query().whereNull('merged_into_id').select('id', 'vat_id', 'email')
  const seenVat = new Map(existing.filter((c) => c.vatId).map((c) => [c.vatId!, `#${c.id}`]))
  const seenEmail = new Map(existing.filter((c) => c.email).map((c) => [c.email!.toLowerCase(), `#${c.id}`]))

  const rows: PreviewRow[] = []
  for (let i = 1; i < records.length; i++) {
    const values: Record<string, string> = {}
    fields.forEach((field, col) => {
      if (field && records[i][col] !== undefined && records[i][col] !== '') values[field] = records[i][col]
    })
    const data: Record<string, unknown> = { ...defaults }
    for (const [key, value] of Object.entries(values)) if (!key.startsWith('contact_')) data[key] = value
    if (typeof data.kind === 'string') data.kind = data.kind.toLowerCase()
    if (typeof data.language === 'string') data.language = data.language.toLowerCase()
    if (data.payment_terms_days !== undefined) data.payment_terms_days = Number(data.payment_terms_days)

    const row: PreviewRow = { line: i + 1, values, errors: [] }
    const client = await validateRow(clientValidator, data, translate)
    row.errors.push(...client.errors)
    if (client.value) {
      const vat = client.value.vat_id as string | null | undefined
      const email = (client.value.email as string | null | undefined)?.toLowerCase()
      if (vat && seenVat.has(vat)) {
        row.errors.push({ field: 'vat_id', message: translate('invoicing.import.duplicate', { other: seenVat.get(vat) }) })
      } else if (email && seenEmail.has(email)) {
        row.errors.push({ field: 'email', message: translate('invoicing.import.duplicate', { other: seenEmail.get(email) }) })
      } else {
        row.client = client.value
        if (vat) seenVat.set(vat, translate('invoicing.import.line', { line: row.line }))
        if (email) seenEmail.set(email, translate('invoicing.import.line', { line: row.line }))
      }
    }
    if (values.contact_first_name || values.contact_last_name || values.contact_email) {
      const contact = await validateRow(
        contactValidator,
        {
          first_name: values.contact_first_name,
          last_name: values.contact_last_name,
          email: values.contact_email,
          phone: values.contact_phone,
          role: values.contact_role,
          is_primary: true,
        },
        translate,
        'contact_'
      )
      row.errors.push(...contact.errors)
      if (contact.value) row.contact = contact.value
    }
    if (row.errors.length) delete row.client
    rows.push(row)
  }
  const valid = rows.filter((r) => r.client).length
  return { fileError: null, columns: fields.filter((f): f is string => f !== null), unknownColumns, rows, valid, invalid: rows.length - valid }
}

/** Creates the rows the preview marked as valid; rows with errors are skipped, never half-imported */
export async function runImport(text: string, translate: Translate) {
  const preview = await previewImport(text, translate)
  let created = 0
  if (!preview.fileError) {
    for (const row of preview.rows) {
      if (!row.client) continue
      const client = await createClient(row.client)
      if (row.contact) await addContact(client, row.contact)
      created++
    }
  }
  await audit({
    action: 'invoicing.clients.imported',
    subjectType: 'invoicing_client',
    after: { created, skipped: preview.rows.length - created },
  })
  return { preview, created }
}
