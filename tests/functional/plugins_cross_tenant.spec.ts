import { test } from '@japa/runner'
import { makeTenant } from '#tests/helpers/tenants'
import { apiToken } from '#tests/helpers/plugins'
import Note from '../fixtures/plugins/sample/models/note.js'

test.group('Plugins: cross-tenant isolation of plugin data', () => {
  test('tenant B cannot reach tenant A notes by id through any sample route', async ({ client, assert }) => {
    const a = await makeTenant()
    const b = await makeTenant()
    const note = await a.run(() => Note.create({ body: 'Secret of A' }))
    assert.equal(note.tenantId, a.tenant.id)
    const aToken = await apiToken(a.owner)
    const bToken = await apiToken(b.owner)

    /* The routes do serve the note to its own tenant, so the 404s below are about isolation */
    const own = await client.get(`/app/sample/${note.id}`).header('host', a.host).loginAs(a.owner)
    own.assertStatus(200)
    own.assertTextIncludes('Secret of A')
    const ownApi = await client
      .get(`/api/v1/sample/notes/${note.id}`)
      .header('host', a.host)
      .header('authorization', `Bearer ${aToken}`)
    ownApi.assertStatus(200)
    ownApi.assertBody({ data: { id: note.id, body: 'Secret of A' } })

    const page = await client.get(`/app/sample/${note.id}`).header('host', b.host).loginAs(b.owner)
    page.assertStatus(404)
    assert.notInclude(page.text(), 'Secret of A')
    const api = await client
      .get(`/api/v1/sample/notes/${note.id}`)
      .header('host', b.host)
      .header('authorization', `Bearer ${bToken}`)
    api.assertStatus(404)
    assert.notInclude(api.text(), 'Secret of A')

    const list = await client.get('/app/sample').header('host', b.host).loginAs(b.owner)
    list.assertStatus(200)
    assert.notInclude(list.text(), 'Secret of A')
    const apiList = await client.get('/api/v1/sample/notes').header('host', b.host).header('authorization', `Bearer ${bToken}`)
    apiList.assertBody({ data: [] })
    const widget = await client.get('/app/sample/widget').header('host', b.host).loginAs(b.owner)
    assert.match(widget.text(), /<span class="stat-value">0<\/span>/)
  })

  test('a note written in tenant B is stored for B only', async ({ client, assert }) => {
    const a = await makeTenant()
    const b = await makeTenant()
    const response = await client
      .post('/app/sample')
      .header('host', b.host)
      .loginAs(b.owner)
      .form({ body: 'Written in B' })
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(302)
    const inB = await Note.forTenant(b.tenant.id).where('body', 'Written in B').first()
    const inA = await Note.forTenant(a.tenant.id).where('body', 'Written in B').first()
    assert.isNotNull(inB)
    assert.isNull(inA)
  })

  test('ids that are not numbers answer 404, not an error', async ({ client }) => {
    const t = await makeTenant()
    const response = await client.get('/app/sample/not-a-number').header('host', t.host).loginAs(t.owner)
    response.assertStatus(404)
  })
})
