import { test } from '@japa/runner'
import jobs from '#services/jobs'
import StoredFile from '#models/stored_file'
import { readBytes } from '#services/file_service'
import Document from '#plugins/invoicing/models/document'
import BulkOperation from '#plugins/invoicing/models/bulk_operation'
import { neutralise, runBulk } from '#plugins/invoicing/services/bulk_documents'
import { fixture, draft, issued } from '#plugins/invoicing/tests/helpers/documents_ui'

test.group('Invoicing UI: bulk operations', () => {
  test('finalise a selection as a job: progress page, counts, refusals', async ({ client, assert }) => {
    const f = await fixture()
    const a = await draft(f)
    const b = await draft(f)
    const done = await issued(f)
    /* finalised an hour before the operation, as a document issued earlier would be */
    await f.t.run(async () => {
      done.finalizedAt = done.finalizedAt!.minus({ hours: 1 })
      await done.save()
    })
    const start = await client
      .post('/app/invoicing/invoices/bulk')
      .header('host', f.t.host)
      .loginAs(f.t.owner)
      .withCsrfToken()
      .redirects(0)
      .form({ action: 'finalize', scope: 'selection', 'ids[]': [String(a.id), String(b.id), String(done.id)] } as any)
    start.assertStatus(302)
    const op = await f.t.run(() => BulkOperation.query().firstOrFail())
    assert.equal(start.header('location'), `/app/invoicing/bulk/${op.id}`)
    const queued = await client.get(`/app/invoicing/bulk/${op.id}`).header('host', f.t.host).loginAs(f.t.owner)
    assert.include(queued.text(), 'hx-trigger="every 1s"')
    assert.include(queued.text(), '<progress')

    await jobs.drain()

    const fresh = await f.t.run(() => BulkOperation.findOrFail(op.id))
    assert.equal(fresh.status, 'completed')
    assert.deepEqual([fresh.total, fresh.succeeded, fresh.failed], [3, 2, 1])
    assert.equal((await f.t.run(() => Document.findOrFail(a.id))).status, 'finalized')
    const page = await client.get(`/app/invoicing/bulk/${op.id}`).header('host', f.t.host).header('hx-request', 'true').header('hx-request-type', 'partial').loginAs(f.t.owner)
    assert.include(page.text(), 'id="invoicing-bulk-progress"')
    assert.notInclude(page.text(), 'every 1s')
    assert.include(page.text(), 'value="100"')
    assert.include(page.text(), done.number!)
    /* a rerun of the same operation (a retried job) changes nothing and refuses nothing new */
    await f.t.run(async () => {
      fresh.status = 'running'
      await fresh.save()
      await runBulk({ tenantId: f.t.tenant.id, operationId: op.id }, { jobId: 'retry', attempt: 2, tenantId: f.t.tenant.id, progress: async () => {} })
    })
    const rerun = await f.t.run(() => BulkOperation.findOrFail(op.id))
    assert.deepEqual([rerun.status, rerun.total, rerun.succeeded, rerun.failed], ['completed', 3, 2, 1])
    /* another user of the tenant does not see this operation */
    ;(await client.get(`/app/invoicing/bulk/${op.id}`).header('host', f.t.host).loginAs(await f.t.user('admin'))).assertStatus(404)
  })

  test('delete drafts over everything matching the filter; mark sent', async ({ client, assert }) => {
    const f = await fixture()
    const keep = await issued(f)
    const d1 = await draft(f)
    const d2 = await draft(f)
    const run = async (form: Record<string, unknown>) => {
      const response = await client.post('/app/invoicing/invoices/bulk').header('host', f.t.host).loginAs(f.t.owner).withCsrfToken().redirects(0).form(form as any)
      response.assertStatus(302)
      await jobs.drain()
    }
    await run({ action: 'delete', scope: 'filter', 'filter[status]': 'draft' })
    assert.isNull(await f.t.run(() => Document.find(d1.id)))
    assert.isNull(await f.t.run(() => Document.find(d2.id)))
    assert.isNotNull(await f.t.run(() => Document.find(keep.id)))
    await run({ action: 'mark_sent', scope: 'filter' })
    assert.equal((await f.t.run(() => Document.findOrFail(keep.id))).status, 'sent')
    const nothing = await client.post('/app/invoicing/invoices/bulk').header('host', f.t.host).loginAs(f.t.owner).withCsrfToken().redirects(0).form({ action: 'finalize', scope: 'selection' })
    nothing.assertStatus(302)
    nothing.assertFlashMessage('error', 'Tick at least one row, or choose “Everything matching the filter”.')
  })

  test('CSV export (bulk job and streamed download) neutralises formula cells and escapes nothing away', async ({ client, assert }) => {
    const f = await fixture({ clientName: '=HYPERLINK("http://evil.test","x")' })
    const doc = await issued(f, 'invoice', { buyerReference: '+SUM(A1:A2)', orderReference: '@cmd' })
    await client.post('/app/invoicing/invoices/bulk').header('host', f.t.host).loginAs(f.t.owner).withCsrfToken().redirects(0).form({ action: 'csv', scope: 'selection', 'ids[]': [String(doc.id)] } as any)
    await jobs.drain()
    const op = await f.t.run(() => BulkOperation.query().firstOrFail())
    assert.isNotNull(op.fileId)
    const file = await f.t.run(() => StoredFile.findOrFail(op.fileId!))
    const csv = (await readBytes(file)).toString('utf8')
    assert.include(csv, `'=HYPERLINK`)
    assert.include(csv, `'+SUM(A1:A2)`)
    assert.include(csv, `'@cmd`)
    assert.include(csv, doc.number!)
    const download = await client.get(`/app/invoicing/bulk/${op.id}/download`).header('host', f.t.host).loginAs(f.t.owner)
    download.assertStatus(200)
    assert.include(download.text(), `'+SUM(A1:A2)`)

    const streamed = await client.get('/app/invoicing/invoices/export.csv').qs({ q: doc.number! }).header('host', f.t.host).loginAs(f.t.owner)
    streamed.assertStatus(200)
    assert.match(streamed.header('content-type') ?? '', /text\/csv/)
    assert.include(streamed.text(), `'=HYPERLINK`)
    assert.equal(streamed.text().trim().split('\n').length, 2)

    assert.equal(neutralise('-12.50'), '-12.50')
    assert.equal(neutralise('-x'), `'-x`)
    assert.equal(neutralise('\t=1'), `'\t=1`)
  })

  test('PDFs of a selection as one ZIP, offered for download', async ({ client, assert }) => {
    const f = await fixture()
    const a = await issued(f)
    const b = await issued(f)
    await client.post('/app/invoicing/invoices/bulk').header('host', f.t.host).loginAs(f.t.owner).withCsrfToken().redirects(0).form({ action: 'zip', scope: 'selection', 'ids[]': [String(a.id), String(b.id)] } as any)
    await jobs.drain()
    const op = await f.t.run(() => BulkOperation.query().firstOrFail())
    assert.equal(op.succeeded, 2)
    const download = await client.get(`/app/invoicing/bulk/${op.id}/download`).header('host', f.t.host).loginAs(f.t.owner)
    download.assertStatus(200)
    assert.equal(download.header('content-type'), 'application/zip')
    assert.match(download.header('content-disposition') ?? '', /attachment; filename="invoices-.*\.zip"/)
    const bytes = await readBytes(await f.t.run(() => StoredFile.findOrFail(op.fileId!)))
    assert.equal(bytes.subarray(0, 2).toString(), 'PK')
    assert.include(bytes.toString('latin1'), `Invoice ${a.number}.pdf`)
    assert.include(bytes.toString('latin1'), `Invoice ${b.number}.pdf`)
  }).timeout(60_000)
})
