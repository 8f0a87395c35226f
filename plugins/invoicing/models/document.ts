import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, belongsTo, column, hasMany } from '@adonisjs/lucid/orm'
import type { BelongsTo, HasMany } from '@adonisjs/lucid/types/relations'
import { withTenantScope } from '#tenancy/tenant_scoped'
import Client from '#plugins/invoicing/models/client'
import DocumentLine from './document_line.js'
import NumberingSeries from './numbering_series.js'

export type DocumentType = 'quote' | 'invoice' | 'credit_note'
export const DOCUMENT_TYPES: DocumentType[] = ['quote', 'invoice', 'credit_note']

export type DocumentStatus =
  | 'draft'
  | 'finalized'
  | 'sent'
  | 'viewed'
  | 'partially_paid'
  | 'paid'
  | 'void'
  | 'written_off'
  | 'accepted'
  | 'declined'
  | 'converted'

export const DOCUMENT_STATUSES: DocumentStatus[] = [
  'draft',
  'finalized',
  'sent',
  'viewed',
  'partially_paid',
  'paid',
  'void',
  'written_off',
  'accepted',
  'declined',
  'converted',
]

/* Statuses in which an invoice still expects money (overdue applies to these only) */
export const OPEN_STATUSES: DocumentStatus[] = ['finalized', 'sent', 'viewed', 'partially_paid']

export type DiscountType = 'percent' | 'amount'

export interface TaxGroupSnapshot {
  rate: number
  category: string
  exemptionReason: string | null
  net: number
  tax: number
}

export interface PartySnapshot {
  name: string
  legalName?: string | null
  contactName?: string | null
  email: string | null
  phone?: string | null
  vatId: string | null
  taxId: string | null
  addressLine1: string | null
  addressLine2: string | null
  postalCode: string | null
  city: string | null
  region: string | null
  country: string | null
}

const money = { consume: (v: unknown) => (v === null || v === undefined ? v : Number(v)) }
const json = <T>(fallback: T) => ({
  prepare: (v: T | null) => (v === null || v === undefined ? null : JSON.stringify(v)),
  consume: (v: unknown): T => (v === null || v === undefined ? fallback : typeof v === 'string' ? JSON.parse(v) : (v as T)),
})

export default class Document extends compose(BaseModel, withTenantScope) {
  static table = 'invoicing_documents'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare type: DocumentType

  @column()
  declare status: DocumentStatus

  @column()
  declare clientId: number

  @column()
  declare clientName: string

  @column()
  declare seriesId: number | null

  @column()
  declare number: string | null

  @column()
  declare numberPeriod: string | null

  @column()
  declare numberCounter: number | null

  @column()
  declare relatedDocumentId: number | null

  @column()
  declare currency: string

  @column()
  declare language: string

  @column({ consume: Boolean })
  declare pricesIncludeTax: boolean

  /** Calendar dates, 'YYYY-MM-DD' */
  @column()
  declare issueDate: string

  @column()
  declare dueDate: string | null

  @column()
  declare deliveryDate: string | null

  @column()
  declare validUntil: string | null

  @column()
  declare buyerReference: string | null

  @column()
  declare orderReference: string | null

  /** UNCL4461 payment means code (58 SEPA credit transfer, 30 credit transfer, 10 cash, 20 cheque, …) */
  @column()
  declare paymentMeansCode: string

  @column()
  declare paymentTermsDays: number | null

  @column()
  declare notes: string | null

  @column()
  declare terms: string | null

  @column()
  declare footer: string | null

  @column()
  declare discountType: DiscountType | null

  @column(money)
  declare discountValue: number

  @column(money)
  declare subtotal: number

  @column(money)
  declare discountTotal: number

  @column(money)
  declare netTotal: number

  @column(money)
  declare taxTotal: number

  @column(money)
  declare total: number

  @column(money)
  declare amountPaid: number

  @column(money)
  declare amountCredited: number

  @column(money)
  declare balanceDue: number

  @column(json<TaxGroupSnapshot[]>([]))
  declare taxBreakdown: TaxGroupSnapshot[]

  @column(json<PartySnapshot | null>(null))
  declare sellerSnapshot: PartySnapshot | null

  @column(json<PartySnapshot | null>(null))
  declare buyerSnapshot: PartySnapshot | null

  @column({ serializeAs: null })
  declare publicTokenHash: string | null

  @column({ serializeAs: null })
  declare publicTokenSalt: string | null

  @column()
  declare version: number

  @column.dateTime()
  declare finalizedAt: DateTime | null

  @column.dateTime()
  declare sentAt: DateTime | null

  @column.dateTime()
  declare viewedAt: DateTime | null

  @column.dateTime()
  declare paidAt: DateTime | null

  @column.dateTime()
  declare voidedAt: DateTime | null

  @column.dateTime()
  declare writtenOffAt: DateTime | null

  @column.dateTime()
  declare acceptedAt: DateTime | null

  @column.dateTime()
  declare declinedAt: DateTime | null

  @column()
  declare createdBy: number | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @hasMany(() => DocumentLine, { foreignKey: 'documentId' })
  declare lines: HasMany<typeof DocumentLine>

  @belongsTo(() => Client, { foreignKey: 'clientId' })
  declare client: BelongsTo<typeof Client>

  @belongsTo(() => NumberingSeries, { foreignKey: 'seriesId' })
  declare series: BelongsTo<typeof NumberingSeries>

  get isDraft() {
    return this.status === 'draft'
  }

  /** Overdue is derived: an open invoice past its due date with money still owed */
  isOverdue(today: string) {
    return (
      this.type === 'invoice' &&
      OPEN_STATUSES.includes(this.status) &&
      this.balanceDue > 0 &&
      this.dueDate !== null &&
      this.dueDate < today
    )
  }
}
