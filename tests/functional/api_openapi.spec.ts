import { test } from '@japa/runner'
import hooks from '#kernel/hooks'
import plugins from '#kernel/plugin_service'
import { makeTenant } from '#tests/helpers/tenants'
import { assertProblem } from '#tests/helpers/api'

/** Every `$ref` in the document points at something that exists */
function danglingRefs(doc: any) {
  const missing: string[] = []
  const visit = (node: any) => {
    if (Array.isArray(node)) return node.forEach(visit)
    if (!node || typeof node !== 'object') return
    if (typeof node.$ref === 'string') {
      const target = node.$ref
        .replace(/^#\//, '')
        .split('/')
        .reduce((at: any, key: string) => at?.[key], doc)
      if (target === undefined) missing.push(node.$ref)
    }
    Object.values(node).forEach(visit)
  }
  visit(doc)
  return missing
}

test.group('OpenAPI document', () => {
  test('is public on a workspace host and describes the kernel API', async ({ client, assert }) => {
    const t = await makeTenant({ name: 'Spec Corp' })
    const response = await client.get('/api/v1/openapi.json').header('host', t.host)
    response.assertStatus(200)
    assert.match(response.header('content-type') ?? '', /^application\/json/)
    const doc = response.body()
    assert.equal(doc.openapi, '3.1.0')
    assert.equal(doc.info.title, 'Spec Corp API')
    assert.equal(doc.servers[0].url, `http://${t.host}/api/v1`)
    assert.deepEqual(doc.security, [{ bearerAuth: [] }])
    assert.deepInclude(doc.components.securitySchemes.bearerAuth, { type: 'http', scheme: 'bearer' })
    assert.includeMembers(Object.keys(doc.paths), ['/me', '/users'])
    assert.includeMembers(Object.keys(doc.components.schemas), ['Problem', 'ValidationProblem', 'User', 'Me'])
    assert.includeMembers(Object.keys(doc.components.parameters), ['Limit', 'Cursor'])
    const users = doc.paths['/users'].get
    assert.includeDeepMembers(users.parameters, [{ $ref: '#/components/parameters/Limit' }, { $ref: '#/components/parameters/Cursor' }])
    assert.deepEqual(
      users.parameters.find((p: any) => p.name === 'sort').schema.enum,
      ['created_at', 'email', '-created_at', '-email']
    )
    assert.property(users.responses, '422')
    assert.property(users.responses, '429')
    assert.deepEqual(danglingRefs(doc), [])
  })

  test('includes a plugin path only while the plugin is enabled for the tenant', async ({ client, assert }) => {
    const t = await makeTenant()
    const other = await makeTenant()
    const on = (await client.get('/api/v1/openapi.json').header('host', t.host)).body()
    assert.property(on.paths, '/sample/notes')
    assert.equal(on.paths['/sample/notes'].get.operationId, 'sampleListNotes')
    assert.isTrue(on.tags.some((tag: any) => tag.name === 'sample'))

    await plugins.setEnabled(t.tenant, 'sample', false)
    const off = (await client.get('/api/v1/openapi.json').header('host', t.host)).body()
    assert.notProperty(off.paths, '/sample/notes')
    assert.isFalse(off.tags.some((tag: any) => tag.name === 'sample'))
    assert.property(off.paths, '/me')

    const unaffected = (await client.get('/api/v1/openapi.json').header('host', other.host)).body()
    assert.property(unaffected.paths, '/sample/notes')
  })

  test('passes through the api.openapi filter', async ({ client, assert }) => {
    const t = await makeTenant()
    hooks.addFilter(
      'api.openapi',
      (doc, meta) => (meta.tenantId === t.tenant.id ? { ...doc, info: { ...doc.info, 'x-filtered': true } } : doc),
      { plugin: 'kernel' }
    )
    const doc = (await client.get('/api/v1/openapi.json').header('host', t.host)).body()
    assert.isTrue(doc.info['x-filtered'])
  })

  test('is not served without a workspace', async ({ client, assert }) => {
    assertProblem(assert, await client.get('/api/v1/openapi.json').header('host', 'localhost'), 404, 'E_NOT_FOUND')
  })
})

test.group('API docs page', () => {
  test('renders Scalar from our own origin under the nonce CSP', async ({ client, assert }) => {
    const t = await makeTenant({ name: 'Docs Corp' })
    const page = await client.get('/api/docs').header('host', t.host)
    page.assertStatus(200)
    assert.match(page.header('content-type') ?? '', /^text\/html/)
    const csp = page.header('content-security-policy') ?? ''
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1]
    assert.exists(nonce, 'CSP carries a nonce')
    assert.include(csp, "script-src 'self'")
    assert.notInclude(csp, 'unsafe-inline')
    assert.notInclude(csp, 'unsafe-eval')
    const html = page.text()
    assert.include(html, 'Docs Corp')
    assert.include(html, `<meta property="csp-nonce" content="${nonce}" />`)
    assert.include(html, `<script nonce="${nonce}" src="/assets/vendor/scalar.js"></script>`)
    assert.include(html, `<script nonce="${nonce}" src="/js/api_docs.js"></script>`)
    assert.include(html, 'data-openapi-url="/api/v1/openapi.json"')
    assert.notMatch(html, /https?:\/\/(cdn|unpkg|jsdelivr)/)

    const bundle = await client.get('/assets/vendor/scalar.js')
    bundle.assertStatus(200)
    assert.match(bundle.header('content-type') ?? '', /^text\/javascript/)
    const mount = await client.get('/js/api_docs.js')
    mount.assertStatus(200)
  })
})
