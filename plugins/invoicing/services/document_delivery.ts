/*
| Getting a document to the client: its PDF (download, email attachment, ZIP entry) and the
| sending job. The job renders the tenant's email template, attaches the PDF, queues the mail
| through the kernel's mail dispatcher and marks the document sent; a retry never sends twice.
*/
import type { HttpContext } from '@adonisjs/core/http'
import db from '@adonisjs/lucid/services/db'
import jobs, { type JobContext } from '#services/jobs'
import { queueMail } from '#services/mail_dispatcher'
import { tenantUrl, translatorFor } from '#services/mail_service'
import { storeBuffer, contentDisposition } from '#services/file_service'
import MailMessage from '#models/mail_message'
import Tenant from '#models/tenant'
import Document from '#plugins/invoicing/models/document'
import Client from '#plugins/invoicing/models/client'
import { markSent } from '#plugins/invoicing/services/documents'
import { canTransition } from '#plugins/invoicing/services/lifecycle'
import { publicPath } from '#plugins/invoicing/services/documents_tokens'
import { formatAmount } from '#plugins/invoicing/services/money'
import { formatDate } from '#plugins/invoicing/services/document_view'

export const SEND_JOB = 'invoicing:send_document'

export interface SendPayload {
  tenantId: number
  documentId: number
  /** the address the user confirmed on the send form */
  to: string
  userId: number | null
  [key: string]: unknown
}

/** The PDF bytes of a document (mapped and rendered by the PDF services, cached per version) */
export async function documentPdf(doc: Document): Promise<Buffer> {
  const { documentPdf: render } = await import('#plugins/invoicing/services/document_pdf')
  return render(doc)
}

/** A file name for the document's PDF: "Invoice INV-2026-00001.pdf" (drafts: "Invoice draft 12.pdf") */
export function pdfName(doc: Document, language: string) {
  const t = (key: string) => translatorFor(language, { locale: language } as Tenant)(key)
  const title = t(`invoicing_ui.types.${doc.type}.one`)
  const label = doc.number ?? `${t('invoicing_ui.status.draft')} ${doc.id}`
  return `${title} ${label}.pdf`.replace(/[\\/:*?"<>|]/g, '-')
}

/** The PDF of a document as a download (cached per document version by the renderer) */
export async function pdfResponse(ctx: HttpContext, doc: Document) {
  const bytes = await documentPdf(doc)
  ctx.response.header('Content-Type', 'application/pdf')
  ctx.response.header('Content-Disposition', contentDisposition(pdfName(doc, doc.language), ctx.request.input('inline') === '1' ? 'inline' : 'attachment'))
  ctx.response.header('X-Content-Type-Options', 'nosniff')
  ctx.response.header('Cache-Control', 'private, no-store')
  return ctx.response.send(bytes)
}

/**
 * Enqueues the sending job. The job id names the document, its version and the recipient, so a
 * double click sends once, while sending again after a change (or to someone else) is a new job.
 */
export async function dispatchSend(tenantId: number, doc: Document, to: string, userId: number | null) {
  const key = Buffer.from(to.toLowerCase()).toString('base64url').slice(0, 60)
  return jobs.dispatch<SendPayload>(SEND_JOB, { tenantId, documentId: doc.id, to, userId }, { jobId: `inv-send-${doc.id}-v${doc.version}-${key}` })
}

export interface EmailContent {
  subject: string
  heading: string
  paragraphs: string[]
}

/**
 * The mail's words: the tenant's email template (Liquid, editable per tenant) for invoices and
 * quotes; credit notes, which have no template of their own, get the built-in text.
 */
async function emailContent(doc: Document, tenant: Tenant, values: Record<string, string>, client: Client | null): Promise<EmailContent> {
  if (doc.type === 'invoice' || doc.type === 'quote') {
    const { renderEmailTemplate } = await import('#plugins/invoicing/services/templates/email_templates')
    const fmtDate = (iso: string | null) => (iso ? formatDate(iso, doc.language) : null)
    const rendered = await renderEmailTemplate(
      tenant.id,
      doc.type === 'quote' ? 'quote_sent' : 'invoice_sent',
      {
        company: { name: tenant.name, email: tenant.profile?.email ?? null },
        client: { name: client?.name ?? doc.clientName, email: client?.email ?? null },
        document: {
          type: doc.type,
          number: doc.number,
          issue_date: fmtDate(doc.issueDate),
          due_date: fmtDate(doc.dueDate),
          valid_until: fmtDate(doc.validUntil),
          total: values.total,
          balance: values.amount_due,
          balance_due: doc.balanceDue > 0,
          url: values.link || null,
        },
      },
      doc.language
    )
    return { subject: rendered.subject, heading: rendered.subject, paragraphs: rendered.text.split(/\n{2,}/).map((p) => p.trim()).filter(Boolean) }
  }
  const t = translatorFor(doc.language, tenant)
  return {
    subject: t('invoicing_ui.email.subject', values),
    heading: t('invoicing_ui.email.heading', values),
    paragraphs: [t('invoicing_ui.email.intro', { ...values, amount: values.amount_due })],
  }
}

/** The job handler (declared in plugin.ts as invoicing:send_document) */
export async function sendDocument(payload: SendPayload, ctx: JobContext) {
  const doc = await Document.forTenant(payload.tenantId).where('id', payload.documentId).first()
  if (!doc || !canTransition(doc, 'send')) return
  const tenant = await Tenant.findOrFail(payload.tenantId)
  await ctx.progress(10)
  /* a retry after the mail was queued must not queue it again: the mail row carries the job id */
  const already = await MailMessage.forTenant(tenant.id)
    .whereRaw('cast(data as text) like ?', [`%"invoicingSendJob":"${ctx.jobId}"%`])
    .first()
  if (!already) {
    const client = await Client.forTenant(tenant.id).where('id', doc.clientId).first()
    const path = publicPath(doc)
    const publicUrl = path ? await tenantUrl(tenant, path) : null
    const bytes = await documentPdf(doc)
    await ctx.progress(60)
    const file = await storeBuffer(pdfName(doc, doc.language), bytes, { uploadedBy: payload.userId })
    const t = translatorFor(doc.language, tenant)
    const type = t(`invoicing_ui.types.${doc.type}.one`)
    const amount = formatAmount(doc.type === 'invoice' && doc.balanceDue > 0 ? doc.balanceDue : doc.total, doc.currency, doc.language)
    const email = await emailContent(doc, tenant, {
      company: tenant.name,
      client: client?.name ?? doc.clientName,
      number: doc.number ?? '',
      type,
      total: formatAmount(doc.total, doc.currency, doc.language),
      amount_due: amount,
      due_date: doc.dueDate ?? '',
      valid_until: doc.validUntil ?? '',
      link: publicUrl ?? '',
    }, client)
    await db.transaction(async (trx) => {
      await queueMail(
        {
          to: payload.to,
          subject: email.subject,
          template: 'emails/notification',
          locale: doc.language,
          attachments: [file.id],
          data: {
            heading: email.heading,
            intro: email.paragraphs[0] ?? '',
            lines: email.paragraphs.slice(1),
            actionUrl: publicUrl,
            actionLabel: t('invoicing_ui.email.action'),
            invoicingSendJob: ctx.jobId,
          },
        },
        { client: trx }
      )
    })
  }
  await ctx.progress(90)
  const fresh = await Document.forTenant(payload.tenantId).where('id', payload.documentId).firstOrFail()
  if (!fresh.sentAt || fresh.status === 'finalized') await markSent(fresh)
}

