/*
| The one input of the PDF renderer: everything a design template may show, already resolved,
| formatted and snapshotted. DOCUMENTS-CORE maps a document to this in services/document_pdf.ts;
| templates never reach the database.
*/
import type { FontKey } from '#theming/theme'

export type PdfDocumentType = 'quote' | 'invoice' | 'credit_note'
export type PaperSize = 'A4' | 'Letter'

export interface PdfAddress {
  line1: string | null
  line2: string | null
  postalCode: string | null
  city: string | null
  region: string | null
  /** ISO 3166-1 alpha-2 */
  country: string | null
  /** Country name in the document's locale, for printing */
  countryName: string | null
}

/** The tenant's theme tokens as far as a printed page uses them */
export interface PdfTheme {
  primary: string
  accent: string
  surface: string
  text: string
  font: FontKey
  /** CSS font-family stack for `font` */
  fontFamily: string
  /** Corner radius in px */
  radius: number
}

export interface PdfSeller {
  name: string
  legalName: string | null
  address: PdfAddress
  vatId: string | null
  taxId: string | null
  email: string | null
  phone: string | null
  website: string | null
  /** `data:image/...;base64,...` only: the renderer loads nothing from the network */
  logoDataUrl: string | null
  theme: PdfTheme
}

/** Snapshot of the client taken at finalisation (drafts: the current client) */
export interface PdfBuyer {
  name: string
  contactName: string | null
  email: string | null
  address: PdfAddress
  vatId: string | null
  taxId: string | null
}

export interface PdfReference {
  /** i18n-resolved label, e.g. "Order reference" */
  label: string
  value: string
}

export interface PdfMeta {
  type: PdfDocumentType
  /** i18n-resolved title, e.g. "Invoice", "Rechnung" */
  title: string
  /** Null on drafts */
  number: string | null
  isDraft: boolean
  /** Human status label when worth printing (e.g. "Draft", "Void"), else null */
  statusLabel: string | null
  /** ISO dates (YYYY-MM-DD) and their formatted forms */
  issueDate: string | null
  issueDateFormatted: string | null
  dueDate: string | null
  dueDateFormatted: string | null
  deliveryDate: string | null
  deliveryDateFormatted: string | null
  /** Quotes: valid until */
  validUntil: string | null
  validUntilFormatted: string | null
  /** Buyer reference, order reference, the invoice a credit note corrects, … */
  references: PdfReference[]
  /** ISO 4217 */
  currency: string
  /** BCP 47, e.g. 'de-DE', 'en-US' */
  locale: string
  /** Null: let the renderer decide from the plugin setting and the locale */
  paper: PaperSize | null
}

export interface PdfLine {
  position: number
  description: string
  /** Optional second line under the description */
  details: string | null
  /** Raw ten-thousandths (1.5 → 15000) and the locale-formatted quantity */
  quantity: number
  quantityDisplay: string
  /** UN/ECE Rec 20 code and its printable label */
  unitCode: string | null
  unitLabel: string | null
  unitPrice: number
  unitPriceFormatted: string
  /** Null when the line has no discount; display e.g. "10 %" or "−5.00 €" */
  discount: number | null
  discountDisplay: string | null
  /** Thousandths of a percent (19% = 19000) and its label, e.g. "19 %" */
  taxRate: number
  taxRateLabel: string
  /** UNCL5305 code: S, Z, E, AE, K, G, O */
  taxCategory: string
  net: number
  netFormatted: string
}

export interface PdfTaxGroup {
  taxRate: number
  taxRateLabel: string
  taxCategory: string
  /** Printed for E/AE/K/G/O */
  exemptionReason: string | null
  net: number
  netFormatted: string
  tax: number
  taxFormatted: string
}

export interface PdfTotals {
  /** Integer minor units of `meta.currency` */
  subtotal: number
  subtotalFormatted: string
  discount: number
  discountFormatted: string | null
  net: number
  netFormatted: string
  tax: number
  taxFormatted: string
  total: number
  totalFormatted: string
  paid: number
  paidFormatted: string | null
  balance: number
  balanceFormatted: string
}

export interface PdfPaymentInstructions {
  /** Free text, e.g. "Please transfer within 14 days" */
  text: string | null
  accountHolder: string | null
  iban: string | null
  bic: string | null
  bankName: string | null
  /** What the payer should quote, usually the document number */
  reference: string | null
}

export interface PdfDocumentView {
  seller: PdfSeller
  buyer: PdfBuyer
  meta: PdfMeta
  lines: PdfLine[]
  taxGroups: PdfTaxGroup[]
  totals: PdfTotals
  notes: string | null
  terms: string | null
  footer: string | null
  /** The document's public link, printed so the client can open it online */
  publicUrl: string | null
  payment: PdfPaymentInstructions | null
  /**
   * Printed labels in the document's language ("Description", "Qty", "Total", …). Optional: the
   * renderer fills defaults for the locale; a caller may override single keys.
   */
  labels?: Partial<PdfLabels>
}

export interface PdfLabels {
  billTo: string
  from: string
  number: string
  issueDate: string
  dueDate: string
  deliveryDate: string
  validUntil: string
  position: string
  description: string
  quantity: string
  unit: string
  unitPrice: string
  discount: string
  tax: string
  amount: string
  subtotal: string
  documentDiscount: string
  net: string
  total: string
  paid: string
  balance: string
  vatId: string
  taxId: string
  notes: string
  terms: string
  paymentInstructions: string
  accountHolder: string
  iban: string
  bic: string
  bank: string
  paymentReference: string
  viewOnline: string
  page: string
  of: string
}

export interface RenderPdfOptions {
  /**
   * `builtin:classic` | `builtin:modern` | `builtin:compact` or a tenant design id as a string;
   * absent: the tenant's default design (needs `tenantId`), else `builtin:classic`.
   */
  designKey?: string
  /** Needed to resolve a tenant design or the tenant default */
  tenantId?: number
  /**
   * Cache key for this document version (e.g. `invoice-42-v7`); the same key returns the cached
   * PDF, a new key renders afresh. Absent: never cached.
   */
  cacheKey?: string
}
