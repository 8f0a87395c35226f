import { test } from '@japa/runner'
import { widgetIds, navIds } from '#tests/helpers/plugins'
import { recordPayment } from '#plugins/invoicing/services/ledger'
import { fixture, issued } from '#plugins/invoicing/tests/helpers/documents_ui'

test.group('Invoicing UI: dashboard widgets and navigation', () => {
  test('the dashboard lists the widgets and the nav the entries, by permission', async ({ client, assert }) => {
    const f = await fixture()
    const page = await client.get('/app').header('host', f.t.host).loginAs(f.t.owner)
    assert.includeMembers(widgetIds(page.text()), ['invoicing.outstanding', 'invoicing.overdue', 'invoicing.revenue'])
    assert.includeMembers(navIds(page.text()), ['invoicing.invoices', 'invoicing.quotes', 'invoicing.payments', 'invoicing.credit_notes'])
  })

  test('outstanding, overdue and revenue per currency', async ({ client, assert }) => {
    const f = await fixture()
    const overdue = await issued(f, 'invoice', { issueDate: '2020-01-01', dueDate: '2020-01-31' })
    await issued(f, 'invoice', { issueDate: '2099-01-01', dueDate: '2099-02-01', currency: 'JPY', lines: [{ description: 'Yen', quantity: 10_000, unitPrice: 5000, taxRateId: f.standardRate.id }] })
    await f.t.run(() => recordPayment({ tenantId: f.t.tenant.id, invoiceId: overdue.id, amount: 1000, currency: 'EUR', method: 'cash', paidOn: new Date().toISOString().slice(0, 10) }))
    const get = (name: string) => client.get(`/app/invoicing/widgets/${name}`).header('host', f.t.host).loginAs(f.t.owner)
    const outstanding = (await get('outstanding')).text()
    assert.include(outstanding, '€347.00')
    assert.include(outstanding, '¥5,950')
    const late = (await get('overdue')).text()
    assert.include(late, '€347.00')
    assert.notInclude(late, '¥')
    const revenue = await get('revenue')
    revenue.assertStatus(200)
    assert.include(revenue.text(), '€10.00')
  })

  test('a viewer sees widgets; a role without the permission gets 403 on the widget URL', async ({ client }) => {
    const f = await fixture()
    ;(await client.get('/app/invoicing/widgets/outstanding').header('host', f.t.host).loginAs(await f.t.user('viewer'))).assertStatus(200)
    ;(await client.get('/app/invoicing/widgets/outstanding').header('host', f.t.host).redirects(0)).assertStatus(302)
  })
})
