import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import { tokenFor, assertProblem } from '#tests/helpers/api'
import { disablePlugin } from '#tests/helpers/plugins'
import { fixture } from '#plugins/invoicing/tests/helpers/documents_ui'
import Subscription from '#plugins/payments/models/subscription'
import { changePlan } from '#plugins/payments/services/subscriptions'

const today = () => DateTime.utc().toISODate()!

async function apiFixture() {
  const f = await fixture()
  const token = await tokenFor(f.t.owner)
  const api = (client: any, method: 'get' | 'post' | 'patch' | 'delete', url: string, body?: object) => {
    const req = client[method](`/api/v1${url}`).header('host', f.t.host).bearerToken(token)
    return body ? req.json(body) : req
  }
  return { ...f, token, api }
}

const monthly = { name: 'Basic', price: 3000, currency: 'EUR', interval: 'month', interval_count: 1 }

test.group('Payments billing API: plans and subscriptions', () => {
  test('plans: create, validate, list with cursor, update, archive, delete', async ({ client, assert }) => {
    const f = await apiFixture()
    const created = await f.api(client, 'post', '/plans', { ...monthly, setup_fee: 1500, trial_days: 14 })
    created.assertStatus(201)
    const plan = created.body().data
    assert.deepInclude(plan, { name: 'Basic', price: 3000, currency: 'EUR', interval: 'month', interval_count: 1, trial_days: 14, setup_fee: 1500, monthly_amount: 3000, archived: false })
    assert.equal(created.header('location'), `/api/v1/plans/${plan.id}`)

    const bad = await f.api(client, 'post', '/plans', { name: 'Odd', price: -1, currency: 'EURO', interval: 'fortnight' })
    const problem = assertProblem(assert, bad, 422, 'E_VALIDATION_ERROR')
    assert.includeMembers(problem.errors!.map((e) => e.field), ['price', 'currency', 'interval'])
    const cadence = assertProblem(assert, await f.api(client, 'post', '/plans', { ...monthly, name: 'Bimonthly', interval_count: 2 }), 422, 'E_VALIDATION_ERROR')
    assert.equal(cadence.errors![0].field, 'interval_count')
    const dup = assertProblem(assert, await f.api(client, 'post', '/plans', monthly), 422, 'E_VALIDATION_ERROR')
    assert.equal(dup.errors![0].field, 'name')

    await f.api(client, 'post', '/plans', { ...monthly, name: 'Pro', price: 6000 }).then((r: any) => r.assertStatus(201))
    await f.api(client, 'post', '/plans', { ...monthly, name: 'Yearly', price: 24000, interval: 'year' }).then((r: any) => r.assertStatus(201))
    const page1 = await f.api(client, 'get', '/plans?limit=2')
    page1.assertStatus(200)
    assert.deepEqual(page1.body().data.map((p: any) => p.name), ['Basic', 'Pro'])
    assert.isString(page1.body().next_cursor)
    const page2 = await f.api(client, 'get', `/plans?limit=2&cursor=${page1.body().next_cursor}`)
    assert.deepEqual(page2.body().data.map((p: any) => p.name), ['Yearly'])
    assert.equal(page2.body().data[0].monthly_amount, 2000)
    assert.isNull(page2.body().next_cursor)

    const patched = await f.api(client, 'patch', `/plans/${plan.id}`, { price: 3500, archived: true })
    patched.assertStatus(200)
    assert.deepInclude(patched.body().data, { price: 3500, archived: true })
    assert.lengthOf((await f.api(client, 'get', '/plans?archived=false')).body().data, 2)
    ;(await f.api(client, 'delete', `/plans/${plan.id}`)).assertStatus(204)
    assertProblem(assert, await f.api(client, 'get', `/plans/${plan.id}`), 404, 'E_NOT_FOUND')
  })

  test('subscribe with trial and setup fee, change plan with proration, pause, resume, cancel, MRR', async ({ client, assert }) => {
    const f = await apiFixture()
    const basic = (await f.api(client, 'post', '/plans', { ...monthly, setup_fee: 990 })).body().data
    const pro = (await f.api(client, 'post', '/plans', { ...monthly, name: 'Pro', price: 6000 })).body().data
    const trial = (await f.api(client, 'post', '/plans', { ...monthly, name: 'Trial', price: 1000, trial_days: 30 })).body().data
    const yearly = (await f.api(client, 'post', '/plans', { ...monthly, name: 'Year', price: 12000, interval: 'year' })).body().data

    const res = await f.api(client, 'post', '/subscriptions', { client_id: f.client.id, plan_id: basic.id })
    res.assertStatus(201)
    const sub = res.body().data
    assert.deepInclude(sub, { status: 'active', anchor_on: today(), current_period_start: today(), cancel_at_period_end: false })
    const profile = await db.from('invoicing_recurring_profiles').where({ tenant_id: f.t.tenant.id, id: sub.recurring_profile_id }).first()
    assert.equal(profile.status, 'active')
    assert.equal(profile.interval, 'monthly')
    assert.equal(profile.start_on instanceof Date ? profile.start_on.toISOString().slice(0, 10) : profile.start_on, today())
    assert.include(profile.lines, '"unitPrice":3000')
    const setupFee = await db.from('invoicing_documents').where({ tenant_id: f.t.tenant.id, client_id: f.client.id, type: 'invoice' })
    assert.lengthOf(setupFee, 1, 'the setup fee is invoiced at once')
    assert.equal(Number(setupFee[0].total), 990)

    const withTrial = (await f.api(client, 'post', '/subscriptions', { client_id: f.client.id, plan_id: trial.id })).body().data
    assert.equal(withTrial.status, 'trialing')
    assert.equal(withTrial.trial_ends_on, DateTime.utc().plus({ days: 30 }).toISODate())
    assert.equal(withTrial.anchor_on, withTrial.trial_ends_on, 'billing starts after the trial')

    /* another tenant's client is unknown here */
    const stranger = await fixture()
    const unknownClient = assertProblem(assert, await f.api(client, 'post', '/subscriptions', { client_id: stranger.client.id, plan_id: basic.id }), 422, 'E_VALIDATION_ERROR')
    assert.equal(unknownClient.errors?.[0]?.field ?? 'client_id', 'client_id')

    /* upgrade on day one of the period: the whole price difference on one invoice */
    const up = await f.api(client, 'post', `/subscriptions/${sub.id}/change-plan`, { plan_id: pro.id })
    up.assertStatus(200)
    assert.equal(up.body().data.plan_id, pro.id)
    const proration = up.body().proration
    assert.deepInclude(proration, { credit: 3000, charge: 6000, net: 3000, document_type: 'invoice' })
    const prorated = await db.from('invoicing_documents').where({ tenant_id: f.t.tenant.id, id: proration.document_id }).first()
    assert.equal(Number(prorated.total), 3000)
    assert.include((await db.from('invoicing_recurring_profiles').where({ id: sub.recurring_profile_id }).first()).lines, '"unitPrice":6000')

    /* downgrade: a credit note for the difference */
    const down = await f.api(client, 'post', `/subscriptions/${sub.id}/change-plan`, { plan_id: basic.id })
    assert.deepInclude(down.body().proration, { net: -3000, document_type: 'credit_note' })
    const interval = assertProblem(assert, await f.api(client, 'post', `/subscriptions/${sub.id}/change-plan`, { plan_id: yearly.id }), 422, 'E_VALIDATION_ERROR')
    assert.equal(interval.errors![0].field, 'plan_id')

    const mrr = await f.api(client, 'get', '/subscriptions/mrr')
    mrr.assertStatus(200)
    const row = (name: string) => mrr.body().data.plans.find((p: any) => p.plan_name === name)
    assert.deepInclude(row('Basic'), { subscriptions: 1, mrr: 3000 })
    assert.deepInclude(row('Trial'), { subscriptions: 0, mrr: 0 }, 'trials bring no revenue yet')
    assert.deepEqual(mrr.body().data.totals, [{ currency: 'EUR', mrr: 3000 }])

    const paused = await f.api(client, 'post', `/subscriptions/${sub.id}/pause`)
    assert.equal(paused.body().data.status, 'paused')
    assert.equal((await db.from('invoicing_recurring_profiles').where({ id: sub.recurring_profile_id }).first()).status, 'paused')
    assertProblem(assert, await f.api(client, 'post', `/subscriptions/${sub.id}/change-plan`, { plan_id: pro.id }), 409, 'E_SUBSCRIPTION_STATE')
    assert.equal((await f.api(client, 'get', '/subscriptions/mrr')).body().data.totals[0].mrr, 0, 'a paused subscription brings nothing')
    const resumed = await f.api(client, 'post', `/subscriptions/${sub.id}/resume`)
    assert.equal(resumed.body().data.status, 'active')
    assert.equal((await db.from('invoicing_recurring_profiles').where({ id: sub.recurring_profile_id }).first()).status, 'active')

    const atEnd = await f.api(client, 'post', `/subscriptions/${sub.id}/cancel`, { at_period_end: true })
    atEnd.assertStatus(200)
    assert.deepInclude(atEnd.body().data, { status: 'active', cancel_at_period_end: true, ends_on: atEnd.body().data.current_period_end })
    const ended = await db.from('invoicing_recurring_profiles').where({ id: sub.recurring_profile_id }).first()
    const endOn = ended.end_on instanceof Date ? ended.end_on.toISOString().slice(0, 10) : ended.end_on
    assert.equal(endOn, DateTime.fromISO(atEnd.body().data.ends_on).minus({ days: 1 }).toISODate(), 'the current period is the last billed')

    const now = await f.api(client, 'delete', `/subscriptions/${withTrial.id}`)
    assert.equal(now.body().data.status, 'canceled')
    assertProblem(assert, await f.api(client, 'post', `/subscriptions/${withTrial.id}/pause`), 409, 'E_SUBSCRIPTION_STATE')

    const list = await f.api(client, 'get', '/subscriptions?status=canceled')
    assert.deepEqual(list.body().data.map((s: any) => s.id), [withTrial.id])
    const page = await f.api(client, 'get', '/subscriptions?limit=1')
    assert.lengthOf(page.body().data, 1)
    assert.isString(page.body().next_cursor)
  })

  test('a change in mid-period prorates by remaining days', async ({ assert }) => {
    const f = await fixture()
    const result = await f.t.run(async () => {
      const { createPlan, subscribe } = await import('#plugins/payments/services/subscriptions')
      const a = await createPlan({ name: 'A', price: 3000, currency: 'EUR', interval: 'month', interval_count: 1, trial_days: 0, setup_fee: 0 })
      const b = await createPlan({ name: 'B', price: 6000, currency: 'EUR', interval: 'month', interval_count: 1, trial_days: 0, setup_fee: 0 })
      const sub = await subscribe({ client_id: f.client.id, plan_id: a.id, start_on: '2026-03-01' })
      return changePlan(sub, b.id, '2026-03-17')
    })
    assert.deepInclude(result.proration!, { periodStart: '2026-03-01', periodEnd: '2026-04-01', remainingDays: 15, credit: 1452, charge: 2903, net: 1451 })
    assert.equal(result.document!.total, 1451)
    assert.equal(result.document!.type, 'invoice')
  })

  test('the OpenAPI document lists plans and subscriptions while the plugin is on', async ({ client, assert }) => {
    const f = await apiFixture()
    const doc = (await client.get('/api/v1/openapi.json').header('host', f.t.host)).body()
    assert.includeMembers(Object.keys(doc.paths), ['/plans', '/plans/{id}', '/subscriptions', '/subscriptions/mrr', '/subscriptions/{id}', '/subscriptions/{id}/pause', '/subscriptions/{id}/resume', '/subscriptions/{id}/cancel', '/subscriptions/{id}/change-plan'])
    assert.properties(doc.components.schemas, ['Plan', 'PlanInput', 'Subscription', 'Proration', 'Mrr'])
    await disablePlugin(f.t, 'payments')
    const off = (await client.get('/api/v1/openapi.json').header('host', f.t.host)).body()
    assert.notProperty(off.paths, '/plans')
  })

  test('authorization: no token 401, viewer may read but not write, other tenant 404, plugin disabled 404', async ({ client, assert }) => {
    const f = await apiFixture()
    const plan = (await f.api(client, 'post', '/plans', monthly)).body().data
    const sub = (await f.api(client, 'post', '/subscriptions', { client_id: f.client.id, plan_id: plan.id })).body().data
    const routes: Array<[string, string, object?]> = [
      ['get', '/plans'],
      ['post', '/plans', { ...monthly, name: 'X' }],
      ['get', `/plans/${plan.id}`],
      ['patch', `/plans/${plan.id}`, { price: 1 }],
      ['delete', `/plans/${plan.id}`],
      ['get', '/subscriptions'],
      ['get', '/subscriptions/mrr'],
      ['post', '/subscriptions', { client_id: f.client.id, plan_id: plan.id }],
      ['get', `/subscriptions/${sub.id}`],
      ['delete', `/subscriptions/${sub.id}`],
      ['post', `/subscriptions/${sub.id}/pause`],
      ['post', `/subscriptions/${sub.id}/resume`],
      ['post', `/subscriptions/${sub.id}/cancel`, {}],
      ['post', `/subscriptions/${sub.id}/change-plan`, { plan_id: plan.id }],
    ]
    const viewerToken = await tokenFor(await f.t.user('viewer'))
    const other = await apiFixture()
    for (const [method, url, body] of routes) {
      const anon = await (client as any)[method](`/api/v1${url}`).header('host', f.t.host).json(body ?? {})
      assert.equal(anon.status(), 401, `${method} ${url} without a token`)
      const viewer = await (client as any)[method](`/api/v1${url}`).header('host', f.t.host).bearerToken(viewerToken).json(body ?? {})
      if (method === 'get') assert.equal(viewer.status(), 200, `${method} ${url} as viewer`)
      else assert.equal(viewer.status(), 403, `${method} ${url} as viewer`)
      if (url.match(/\/\d+/)) {
        const foreign = await other.api(client, method as any, url, body)
        assert.equal(foreign.status(), 404, `${method} ${url} from another tenant`)
      }
    }
    assert.isNull(await other.t.run(() => Subscription.find(sub.id)))

    await disablePlugin(f.t, 'payments')
    for (const [method, url, body] of routes) {
      const gone = await f.api(client, method as any, url, body)
      assert.equal(gone.status(), 404, `${method} ${url} with the plugin disabled`)
    }
  })
})
