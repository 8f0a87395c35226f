/*
| Bulk actions over documents, run as the job invoicing:bulk_documents: finalise drafts, send,
| mark sent, delete drafts, download the PDFs as one ZIP, export CSV. The selection is either the
| ticked ids or the list filter, resolved when the job starts. Progress goes to the kernel job
| row (shown live on the operation's page); counts, refusals and the produced file stay on the
| operation row.
*/
import { DateTime } from 'luxon'
import { PassThrough } from 'node:stream'
import { stringify } from 'csv-stringify'
import yazl from 'yazl'
import jobs, { type JobContext } from '#services/jobs'
import { storeBuffer } from '#services/file_service'
import Tenant from '#models/tenant'
import BulkOperation, { type BulkAction, type BulkScope } from '#plugins/invoicing/models/bulk_operation'
import Document, { type DocumentType } from '#plugins/invoicing/models/document'
import Client from '#plugins/invoicing/models/client'
import { deleteDraft, finalize, markSent } from '#plugins/invoicing/services/documents'
import { canTransition } from '#plugins/invoicing/services/lifecycle'
import { filteredQuery, listFilterValidator } from '#plugins/invoicing/services/document_listing'
import { toDecimal } from '#plugins/invoicing/services/money'
import { dispatchSend, documentPdf, pdfName } from '#plugins/invoicing/services/document_delivery'
import { DomainError } from '#exceptions/domain_errors'

export const BULK_JOB = 'invoicing:bulk_documents'

/* A ZIP of many PDFs may be larger than an upload */
const MAX_RESULT_BYTES = 512 * 1024 * 1024

export interface StartInput {
  userId: number | null
  documentType: DocumentType
  action: BulkAction
  scope: BulkScope
}

export async function startBulk(tenantId: number, input: StartInput) {
  const op = await BulkOperation.create({
    userId: input.userId,
    documentType: input.documentType,
    action: input.action,
    scope: input.scope,
    status: 'queued',
    total: 0,
    succeeded: 0,
    failed: 0,
    failures: [],
  })
  const jobId = await jobs.dispatch(BULK_JOB, { tenantId, operationId: op.id }, { jobId: `inv-bulk-${op.id}` })
  op.jobId = jobId
  await op.save()
  return op
}

/** The ids the operation covers, in id order, of the operation's type and this tenant only */
async function resolveIds(op: BulkOperation, zone: string): Promise<number[]> {
  if ('ids' in op.scope) {
    const wanted = op.scope.ids.filter((id) => Number.isSafeInteger(id) && id > 0)
    if (!wanted.length) return []
    const rows = await Document.forTenant(op.tenantId).where('type', op.documentType).whereIn('id', wanted).select('id').orderBy('id')
    return rows.map((r) => r.id)
  }
  const filter = await listFilterValidator.validate(op.scope.filter)
  const rows = await filteredQuery(op.documentType as DocumentType, { ...filter, cursor: undefined }, zone)
    .clearSelect()
    .select('invoicing_documents.id')
    .orderBy('invoicing_documents.id')
  return rows.map((r) => r.id)
}

/** A spreadsheet must never run a cell as a formula: text starting with = + - @ (or tab/CR) gets a quote */
export function neutralise(value: string) {
  if (/^-?\d+(\.\d+)?$/.test(value)) return value
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
}

export const CSV_COLUMNS = [
  'number',
  'type',
  'status',
  'client',
  'issue_date',
  'due_date',
  'currency',
  'net',
  'tax',
  'total',
  'paid',
  'balance',
  'buyer_reference',
  'order_reference',
] as const

export function csvRow(doc: Document) {
  const amount = (n: number) => toDecimal(n, doc.currency)
  return [
    doc.number ?? '',
    doc.type,
    doc.status,
    doc.clientName,
    doc.issueDate ?? '',
    doc.dueDate ?? doc.validUntil ?? '',
    doc.currency,
    amount(doc.netTotal),
    amount(doc.taxTotal),
    amount(doc.total),
    amount(doc.amountPaid),
    amount(doc.balanceDue),
    doc.buyerReference ?? '',
    doc.orderReference ?? '',
  ].map((v) => neutralise(String(v)))
}

/** A CSV stream over documents, fetched in pages of 500 so memory stays flat */
export function csvStream(tenantId: number, ids: number[] | (() => AsyncIterable<Document[]>)) {
  const out = stringify({ header: true, columns: [...CSV_COLUMNS] })
  const pages: AsyncIterable<Document[]> =
    typeof ids === 'function'
      ? ids()
      : (async function* () {
          for (let i = 0; i < ids.length; i += 500) {
            yield await Document.forTenant(tenantId).whereIn('id', ids.slice(i, i + 500)).orderBy('id')
          }
        })()
  ;(async () => {
    try {
      for await (const page of pages) {
        for (const doc of page) {
          if (!out.write(csvRow(doc))) await new Promise((resolve) => out.once('drain', resolve))
        }
      }
      out.end()
    } catch (error) {
      out.destroy(error as Error)
    }
  })()
  return out
}

async function collect(stream: NodeJS.ReadableStream) {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk))
  return Buffer.concat(chunks)
}

function failureMessage(error: unknown) {
  if (error instanceof DomainError) return error.message
  throw error
}

/** The job handler. A finished operation is left alone, so a duplicate run changes nothing. */
export async function runBulk(payload: { tenantId: number; operationId: number }, ctx: JobContext) {
  const op = await BulkOperation.forTenant(payload.tenantId).where('id', payload.operationId).first()
  if (!op || op.isFinished) return
  const tenant = await Tenant.findOrFail(payload.tenantId)
  const ids = await resolveIds(op, tenant.timezone)
  op.merge({ status: 'running', total: ids.length, succeeded: 0, failed: 0, failures: [] })
  await op.save()
  await ctx.progress(0)

  const failures: Array<{ id: number; label: string; message: string }> = []
  let succeeded = 0
  let lastReport = 0
  const report = async (done: number) => {
    const percent = ids.length ? Math.floor((done / ids.length) * 100) : 100
    if (percent !== lastReport || done === ids.length) {
      lastReport = percent
      await ctx.progress(Math.min(percent, 99), `${done}/${ids.length}`)
      op.merge({ succeeded, failed: failures.length })
      await op.save()
    }
  }
  const stamp = DateTime.now().setZone(tenant.timezone).toFormat('yyyy-LL-dd-HHmm')

  if (op.action === 'csv') {
    const buffer = await collect(csvStream(tenant.id, ids))
    const file = await storeBuffer(`${op.documentType}s-${stamp}.csv`, buffer, { uploadedBy: op.userId, maxBytes: MAX_RESULT_BYTES })
    succeeded = ids.length
    op.fileId = file.id
  } else if (op.action === 'zip') {
    const zip = new yazl.ZipFile()
    const output = new PassThrough()
    zip.outputStream.pipe(output)
    const bytes = collect(output)
    const names = new Set<string>()
    for (let i = 0; i < ids.length; i++) {
      const doc = await Document.forTenant(tenant.id).where('id', ids[i]).first()
      if (doc) {
        try {
          let name = pdfName(doc, doc.language)
          for (let n = 2; names.has(name); n++) name = pdfName(doc, doc.language).replace(/\.pdf$/, ` (${n}).pdf`)
          names.add(name)
          zip.addBuffer(await documentPdf(doc), name)
          succeeded++
        } catch (error) {
          failures.push({ id: doc.id, label: doc.number ?? `#${doc.id}`, message: failureMessage(error) })
        }
      }
      await report(i + 1)
    }
    zip.end()
    const buffer = await bytes
    if (succeeded) {
      const file = await storeBuffer(`${op.documentType}s-${stamp}.zip`, buffer, { uploadedBy: op.userId, maxBytes: MAX_RESULT_BYTES })
      op.fileId = file.id
    }
  } else {
    for (let i = 0; i < ids.length; i++) {
      const doc = await Document.forTenant(tenant.id).where('id', ids[i]).first()
      if (doc) {
        try {
          if (ctx.attempt === 1 || !doneByThisOperation(op, doc)) await applyAction(op.action, doc, op.userId)
          succeeded++
        } catch (error) {
          failures.push({ id: doc.id, label: doc.number ?? `#${doc.id}`, message: failureMessage(error) })
        }
      }
      await report(i + 1)
    }
  }
  op.merge({ status: 'completed', succeeded, failed: failures.length, failures: failures.slice(0, 200), finishedAt: DateTime.utc() })
  await op.save()
  await ctx.progress(100, `${ids.length}/${ids.length}`)
}

class RefusedError extends DomainError {}

/*
| A retried job (the worker died half-way) meets documents its first run already handled: those
| count as done instead of being refused for their new status. Only on retries, since timestamps
| are stored to the second and a document issued just before the operation would look alike.
*/
function doneByThisOperation(op: BulkOperation, doc: Document) {
  const since = op.createdAt.toMillis()
  if (op.action === 'finalize') return doc.status !== 'draft' && !!doc.finalizedAt && doc.finalizedAt.toMillis() >= since
  if (op.action === 'mark_sent') return !!doc.sentAt && doc.sentAt.toMillis() >= since
  return false
}

async function applyAction(action: BulkAction, doc: Document, userId: number | null) {
  switch (action) {
    case 'finalize':
      await finalize(doc)
      return
    case 'mark_sent':
      if (!canTransition(doc, 'send')) throw new RefusedError(`Status ${doc.status} cannot be marked sent`)
      await markSent(doc)
      return
    case 'send': {
      if (!canTransition(doc, 'send')) throw new RefusedError(`Status ${doc.status} cannot be sent`)
      const client = await Client.forTenant(doc.tenantId).where('id', doc.clientId).first()
      if (!client?.email) throw new RefusedError('The client has no email address')
      await dispatchSend(doc.tenantId, doc, client.email, userId)
      return
    }
    case 'delete':
      await deleteDraft(doc)
      return
    default:
      throw new RefusedError(`Unknown action ${action}`)
  }
}
