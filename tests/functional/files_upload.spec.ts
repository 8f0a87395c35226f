/*
| Files: uploads are typed by their content (a forged extension is refused), stored outside the
| web root, and served only through authorised, tenant-scoped routes with our own headers.
*/
import { test } from '@japa/runner'
import { existsSync } from 'node:fs'
import app from '@adonisjs/core/services/app'
import drive from '@adonisjs/drive/services/main'
import StoredFile from '#models/stored_file'
import AuditLog from '#models/audit_log'
import { makeTenant, type TestTenant } from '#tests/helpers/tenants'
import { assertProblem, tokenFor } from '#tests/helpers/api'
import { storeBuffer } from '#services/file_service'

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64'
)
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n')
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(62), Buffer.from('PE\0\0'), Buffer.alloc(200)])
const HTML = Buffer.from('<!DOCTYPE html><html><script>alert(document.cookie)</script></html>')

async function fileOf(t: TestTenant, name: string, bytes: Buffer) {
  return t.run(() => storeBuffer(name, bytes, { uploadedBy: t.owner.id }))
}

test.group('Files: upload checks', () => {
  test('an upload is typed by content, stored outside public/ and audited', async ({ client, assert }) => {
    const t = await makeTenant()
    const response = await client
      .post('/app/files')
      .header('host', t.host)
      .loginAs(t.owner)
      .withCsrfToken()
      .file('file', PNG, { filename: 'Logo Ä.png' })
      .redirects(0)
    response.assertStatus(302)
    assert.equal(response.header('location'), '/app/files')

    const file = await StoredFile.forTenant(t.tenant.id).firstOrFail()
    assert.equal(file.originalName, 'Logo Ä.png')
    assert.equal(file.contentType, 'image/png')
    assert.equal(file.size, PNG.length)
    assert.match(file.key, new RegExp(`^tenants/${t.tenant.id}/\\d{4}/\\d{2}/[0-9a-f-]{36}$`))
    assert.notInclude(file.key, '.png')
    assert.isTrue(await drive.use('fs').exists(file.key))
    assert.isFalse(existsSync(app.publicPath(file.key)))
    assert.isNotNull(await AuditLog.forTenant(t.tenant.id).where('action', 'file.uploaded').first())
  })

  test('{title} is refused and nothing is stored')
    .with([
      { title: 'a PNG named .pdf', name: 'invoice.pdf', bytes: PNG, code: 'E_FILE_TYPE_MISMATCH' },
      { title: 'a PDF named .png', name: 'photo.png', bytes: PDF, code: 'E_FILE_TYPE_MISMATCH' },
      { title: 'an executable named .png', name: 'cat.png', bytes: EXE, code: 'E_FILE_TYPE_NOT_ALLOWED' },
      { title: 'HTML named .txt', name: 'notes.txt', bytes: HTML, code: 'E_FILE_TYPE_NOT_ALLOWED' },
      { title: 'HTML named .pdf', name: 'statement.pdf', bytes: HTML, code: 'E_FILE_TYPE_MISMATCH' },
    ])
    .run(async ({ client, assert }, row) => {
      const t = await makeTenant()
      const web = await client
        .post('/app/files')
        .header('host', t.host)
        .loginAs(t.owner)
        .withCsrfToken()
        .file('file', row.bytes, { filename: row.name })
        .redirects(0)
      web.assertStatus(302)
      const expected = row.code === 'E_FILE_TYPE_MISMATCH' ? 'match its name' : 'not accepted'
      assert.include(String((web.flashMessages().errorsBag as Record<string, string>)?.file), expected)

      const api = await client
        .post('/api/v1/files')
        .header('host', t.host)
        .bearerToken(await tokenFor(t.owner))
        .file('file', row.bytes, { filename: row.name })
      assertProblem(assert, api, 415, row.code)
      assert.lengthOf(await StoredFile.forTenant(t.tenant.id), 0)
    })

  test('text files are accepted by extension only when their content is plain UTF-8 text', async ({ assert }) => {
    const t = await makeTenant()
    const csv = await fileOf(t, 'export.csv', Buffer.from('name;amount\nÄpfel;3\n'))
    assert.equal(csv.contentType, 'text/csv; charset=utf-8')
    const binary = Buffer.from([0x41, 0x00, 0x42, 0xff])
    await assert.rejects(() => fileOf(t, 'data.txt', binary), /not an accepted file type/)
  })

  test('a file over the size limit is refused with 413', async ({ client, assert }) => {
    const t = await makeTenant()
    const big = Buffer.concat([PDF, Buffer.alloc(10 * 1024 * 1024)])
    const api = await client
      .post('/api/v1/files')
      .header('host', t.host)
      .bearerToken(await tokenFor(t.owner))
      .file('file', big, { filename: 'big.pdf' })
    assertProblem(assert, api, 413, 'E_FILE_TOO_LARGE')
    assert.lengthOf(await StoredFile.forTenant(t.tenant.id), 0)
  })
})

test.group('Files: serving', () => {
  test('downloads carry the stored type, an attachment disposition and no-sniff', async ({ client, assert }) => {
    const t = await makeTenant()
    const file = await fileOf(t, 'Rechnung März.pdf', PDF)
    const response = await client.get(`/app/files/${file.id}`).header('host', t.host).loginAs(await t.user('viewer'))
    response.assertStatus(200)
    assert.equal(response.header('content-type'), 'application/pdf')
    assert.equal(
      response.header('content-disposition'),
      `attachment; filename="Rechnung M_rz.pdf"; filename*=UTF-8''Rechnung%20M%C3%A4rz.pdf`
    )
    assert.equal(response.header('x-content-type-options'), 'nosniff')
    assert.equal(response.header('content-length'), String(PDF.length))
    assert.deepEqual(Buffer.from(response.body()), PDF)

    const inline = await client.get(`/app/files/${file.id}?inline=1`).header('host', t.host).loginAs(t.owner)
    assert.match(inline.header('content-disposition') ?? '', /^inline;/)
  })

  test('text files are never shown inline and are sandboxed', async ({ client, assert }) => {
    const t = await makeTenant()
    const file = await fileOf(t, 'readme.txt', Buffer.from('hello'))
    const response = await client.get(`/app/files/${file.id}?inline=1`).header('host', t.host).loginAs(t.owner)
    response.assertStatus(200)
    assert.match(response.header('content-disposition') ?? '', /^attachment;/)
    assert.include(response.header('content-security-policy') ?? '', 'sandbox')
  })

  test('the API serves metadata and content, and deletes', async ({ client, assert }) => {
    const t = await makeTenant()
    const token = await tokenFor(t.owner)
    const created = await client
      .post('/api/v1/files')
      .header('host', t.host)
      .bearerToken(token)
      .file('file', PNG, { filename: 'dot.png' })
    created.assertStatus(201)
    const id = created.body().data.id
    assert.equal(created.body().data.content_type, 'image/png')
    assert.notProperty(created.body().data, 'key')

    const content = await client.get(`/api/v1/files/${id}/content`).header('host', t.host).bearerToken(token)
    content.assertStatus(200)
    assert.equal(content.header('content-type'), 'image/png')

    const listed = await client.get('/api/v1/files').header('host', t.host).bearerToken(token)
    assert.deepEqual(listed.body().data.map((f: any) => f.id), [id])

    const removed = await client.delete(`/api/v1/files/${id}`).header('host', t.host).bearerToken(token)
    removed.assertStatus(204)
    const key = (await StoredFile.forTenant(t.tenant.id).where('id', id).first())?.key
    assert.isUndefined(key)
  })
})

/*
| Authorization for every route: signed out, a role without the permission, another tenant's id.
*/
interface RouteCase {
  method: 'get' | 'post' | 'delete'
  url: (id: number) => string
  deniedFor: 'viewer' | null
}

const WEB: Record<string, RouteCase> = {
  'GET /app/files': { method: 'get', url: () => '/app/files', deniedFor: null },
  'POST /app/files': { method: 'post', url: () => '/app/files', deniedFor: 'viewer' },
  'GET /app/files/:id': { method: 'get', url: (id) => `/app/files/${id}`, deniedFor: null },
  'POST /app/files/:id/delete': { method: 'post', url: (id) => `/app/files/${id}/delete`, deniedFor: 'viewer' },
}

const API: Record<string, RouteCase> = {
  'GET /api/v1/files': { method: 'get', url: () => '/api/v1/files', deniedFor: null },
  'POST /api/v1/files': { method: 'post', url: () => '/api/v1/files', deniedFor: 'viewer' },
  'GET /api/v1/files/:id': { method: 'get', url: (id) => `/api/v1/files/${id}`, deniedFor: null },
  'GET /api/v1/files/:id/content': { method: 'get', url: (id) => `/api/v1/files/${id}/content`, deniedFor: null },
  'DELETE /api/v1/files/:id': { method: 'delete', url: (id) => `/api/v1/files/${id}`, deniedFor: 'viewer' },
}

test.group('Files: authorization', () => {
  test('{$self}: signed out goes to the sign-in page')
    .with(Object.keys(WEB))
    .run(async ({ client, assert }, name) => {
      const t = await makeTenant()
      const file = await fileOf(t, 'a.png', PNG)
      const route = WEB[name]
      const response = await client[route.method](route.url(file.id)).header('host', t.host).withCsrfToken().redirects(0)
      response.assertStatus(302)
      assert.match(response.header('location') ?? '', /^\/login\?next=/)
    })

  test('{$self}: without a token answers 401')
    .with(Object.keys(API))
    .run(async ({ client, assert }, name) => {
      const t = await makeTenant()
      const file = await fileOf(t, 'a.png', PNG)
      const route = API[name]
      assertProblem(assert, await client[route.method](route.url(file.id)).header('host', t.host), 401, 'E_UNAUTHORIZED')
    })

  test('{$self}: a role without the permission gets 403')
    .with(Object.keys(WEB).filter((k) => WEB[k].deniedFor))
    .run(async ({ client, assert }, name) => {
      const t = await makeTenant()
      const file = await fileOf(t, 'a.png', PNG)
      const route = WEB[name]
      const request = client[route.method](route.url(file.id))
        .header('host', t.host)
        .loginAs(await t.user(route.deniedFor!))
        .withCsrfToken()
        .redirects(0)
      if (route.method === 'post' && route.url(file.id) === '/app/files') request.file('file', PNG, { filename: 'b.png' })
      const response = await request
      response.assertStatus(403)
      assert.lengthOf(await StoredFile.forTenant(t.tenant.id), 1)
    })

  test('{$self}: a token of a role without the permission gets 403')
    .with(Object.keys(API).filter((k) => API[k].deniedFor))
    .run(async ({ client, assert }, name) => {
      const t = await makeTenant()
      const file = await fileOf(t, 'a.png', PNG)
      const route = API[name]
      const request = client[route.method](route.url(file.id))
        .header('host', t.host)
        .bearerToken(await tokenFor(await t.user(route.deniedFor!)))
      if (route.method === 'post') request.file('file', PNG, { filename: 'b.png' })
      assertProblem(assert, await request, 403, 'E_FORBIDDEN')
    })

  test('{$self}: another tenant\'s file answers 404')
    .with([...Object.keys(WEB), ...Object.keys(API)].filter((k) => k.includes(':id')))
    .run(async ({ client, assert }, name) => {
      const mine = await makeTenant()
      const other = await makeTenant()
      const theirs = await fileOf(other, 'secret.pdf', PDF)
      const route = WEB[name] ?? API[name]
      const request = client[route.method](route.url(theirs.id)).header('host', mine.host)
      if (name.includes('/api/')) request.bearerToken(await tokenFor(mine.owner))
      else request.loginAs(mine.owner).withCsrfToken().redirects(0)
      const response = await request
      response.assertStatus(404)
      assert.notInclude(response.text(), '%PDF')
      assert.lengthOf(await StoredFile.forTenant(other.tenant.id), 1)
    })
})
