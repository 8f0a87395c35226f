/*
| The invoicing plugin turned off for one tenant vanishes there: its pages, public links and
| widgets answer 404, its nav entries and widgets leave the shell, its hook taps are skipped and
| its jobs do nothing, while another tenant keeps all of it.
*/
import { test } from '@japa/runner'
import hooks from '#kernel/hooks'
import jobs from '#services/jobs'
import { enablePlugin, navIds, widgetIds, disablePluginAndDependents } from '#tests/helpers/plugins'
import Document from '#plugins/invoicing/models/document'
import BulkOperation from '#plugins/invoicing/models/bulk_operation'
import { publicPath } from '#plugins/invoicing/services/documents_tokens'
import { startBulk } from '#plugins/invoicing/services/bulk_documents'
import { ROUTES, fixture, issued, draft } from '#plugins/invoicing/tests/helpers/documents_ui'

test.group('Invoicing: disabled for a tenant', () => {
  test('routes, public links, nav, widgets, slots and jobs are gone for that tenant only', async ({ client, assert }) => {
    const off = await fixture()
    const on = await fixture()
    const offInvoice = await issued(off)
    const offQuote = await issued(off, 'quote', { validUntil: '2099-12-31' })
    const offDraft = await draft(off)
    const op = await off.t.run(() => startBulk(off.t.tenant.id, { userId: off.t.owner.id, documentType: 'invoice', action: 'delete', scope: { ids: [offDraft.id] } }))
    await disablePluginAndDependents(off.t, 'invoicing')

    for (const route of ROUTES) {
      const url = route.url.replace('{id}', String(offInvoice.id)).replace('{quote}', String(offQuote.id)).replace('{op}', String(op.id))
      const response = await client[route.method](url).header('host', off.t.host).loginAs(off.t.owner).withCsrfToken().redirects(0)
      assert.equal(response.status(), 404, `${route.method} ${url}`)
    }
    ;(await client.get(publicPath(offInvoice)!).header('host', off.t.host)).assertStatus(404)
    ;(await client.get('/p/invoicing/assets/invoicing.css').header('host', off.t.host)).assertStatus(404)

    const dashboard = await client.get('/app').header('host', off.t.host).loginAs(off.t.owner)
    assert.notInclude(widgetIds(dashboard.text()).join(','), 'invoicing.')
    assert.notInclude(navIds(dashboard.text()).join(','), 'invoicing.')
    const slot = await hooks.applyFilters('nav.main', [], { tenantId: off.t.tenant.id })
    assert.notInclude(slot.map((i) => i.id).join(','), 'invoicing.')

    /* the queued bulk job runs as a no-op: the draft is still there, the operation untouched */
    await jobs.drain()
    assert.isNotNull(await off.t.run(() => Document.find(offDraft.id)))
    assert.equal((await off.t.run(() => BulkOperation.findOrFail(op.id))).status, 'queued')

    const onDashboard = await client.get('/app').header('host', on.t.host).loginAs(on.t.owner)
    assert.includeMembers(widgetIds(onDashboard.text()), ['invoicing.outstanding', 'invoicing.overdue', 'invoicing.revenue'])
    assert.include(navIds(onDashboard.text()), 'invoicing.invoices')
    ;(await client.get('/app/invoicing/invoices').header('host', on.t.host).loginAs(on.t.owner)).assertStatus(200)

    await enablePlugin(off.t, 'invoicing')
    ;(await client.get(`/app/invoicing/invoices/${offInvoice.id}`).header('host', off.t.host).loginAs(off.t.owner)).assertStatus(200)
  })
})
