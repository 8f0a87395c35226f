import { test } from '@japa/runner'
import AuditLog from '#models/audit_log'
import { makeTenant } from '#tests/helpers/tenants'
import { disablePlugin } from '#tests/helpers/plugins'
import plugins from '#kernel/plugin_service'
import PdfDesign from '../../models/pdf_design.js'
import PdfDesignVersion from '../../models/pdf_design_version.js'
import { resolveDesign } from '../../services/pdf/designs.js'

const TEMPLATE_V1 = '<h1 class="t">{{ meta.title }} {{ meta.number }}</h1><p>{{ buyer.name }}</p>'
const TEMPLATE_V2 = '<h2>Second {{ meta.number }}</h2>{% for line in lines %}<p>{{ line.description }}</p>{% endfor %}'

test.group('Invoicing PDF designs: pages', (group) => {
  group.each.timeout(60_000)

  test('create a design, save versions, roll back, make it the default', async ({ client, assert }) => {
    const t = await makeTenant()
    const post = (url: string, form: Record<string, string>) =>
      client.post(url).header('host', t.host).loginAs(t.owner).form(form).withCsrfToken().redirects(0)

    const index = await client.get('/app/invoicing/designs').header('host', t.host).loginAs(t.owner)
    index.assertStatus(200)
    for (const key of ['builtin:classic', 'builtin:modern', 'builtin:compact']) assert.include(index.text(), `data-design="${key}"`)

    const editor = await client.get('/app/invoicing/designs/new?from=modern').header('host', t.host).loginAs(t.owner)
    editor.assertStatus(200)
    assert.match(editor.text(), /<textarea[^>]*>[^<]*&lt;header class=(&quot;|&#34;)band/, 'the editor starts from the chosen built-in template, escaped')

    const bad = await post('/app/invoicing/designs', { name: 'Broken', template: '{% for x in %}' })
    assert.equal(bad.header('location'), '/app/invoicing/designs/new')
    assert.property(bad.flashMessages().errorsBag ?? {}, 'template')
    const sneaky = await post('/app/invoicing/designs', { name: 'Sneaky', template: '{% include "/etc/passwd" %}' })
    assert.property(sneaky.flashMessages().errorsBag ?? {}, 'template')
    const empty = await post('/app/invoicing/designs', { name: '', template: '' })
    assert.properties(empty.flashMessages().inputErrorsBag ?? {}, ['name', 'template'])

    const created = await post('/app/invoicing/designs', { name: 'Letterhead', template: TEMPLATE_V1 })
    const design = await PdfDesign.forTenant(t.tenant.id).where('name', 'Letterhead').firstOrFail()
    assert.equal(created.header('location'), `/app/invoicing/designs/${design.id}`)
    const taken = await post('/app/invoicing/designs', { name: 'Letterhead', template: TEMPLATE_V1 })
    assert.property(taken.flashMessages().errorsBag ?? {}, 'name')

    await post(`/app/invoicing/designs/${design.id}`, { name: 'Letterhead', template: TEMPLATE_V2 })
    await design.refresh()
    assert.equal(design.activeVersion, 2)
    assert.equal(design.latestVersion, 2)
    assert.equal((await resolveDesign(`tenant:${design.id}`, t.tenant.id)).template, TEMPLATE_V2)

    const page = await client.get(`/app/invoicing/designs/${design.id}`).header('host', t.host).loginAs(t.owner)
    assert.include(page.text(), 'data-version="1"')
    assert.include(page.text(), 'data-version="2"')

    await post(`/app/invoicing/designs/${design.id}/versions/1/activate`, {})
    await design.refresh()
    assert.equal(design.activeVersion, 1)
    assert.equal((await resolveDesign(`tenant:${design.id}`, t.tenant.id)).template, TEMPLATE_V1)
    assert.lengthOf(await PdfDesignVersion.forTenant(t.tenant.id).where('design_id', design.id), 2, 'versions are kept')
    const missing = await post(`/app/invoicing/designs/${design.id}/versions/9/activate`, {})
    missing.assertStatus(404)

    await post('/app/invoicing/designs/default', { design: `tenant:${design.id}` })
    assert.equal((await resolveDesign(undefined, t.tenant.id)).key, `tenant:${design.id}`)
    const wrongDefault = await post('/app/invoicing/designs/default', { design: 'builtin:fancy' })
    wrongDefault.assertStatus(404)

    for (const action of ['created', 'version_saved', 'version_activated', 'default_set']) {
      assert.isNotNull(await AuditLog.forTenant(t.tenant.id).where('action', `invoicing.pdf_design.${action}`).first(), action)
    }
  })

  test('preview: HTMX gets a sandboxed frame, the frame has its own strict CSP, the PDF button prints', async ({ client, assert }) => {
    const t = await makeTenant()
    const xss = '<p>{{ buyer.name }}</p><script>alert(1)</script><img src="http://127.0.0.1:9/x.png">'
    const fragment = await client
      .post('/app/invoicing/designs/preview')
      .header('host', t.host)
      .header('hx-request', 'true')
      .loginAs(t.owner)
      .form({ template: xss })
      .withCsrfToken()
    fragment.assertStatus(200)
    assert.match(fragment.text(), /<iframe[^>]+sandbox=""/)
    const src = /src="([^"]+)"/.exec(fragment.text())![1].replace(/&amp;/g, '&')

    const frame = await client.get(src).header('host', t.host).loginAs(t.owner)
    frame.assertStatus(200)
    assert.equal(
      frame.header('content-security-policy'),
      "default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:; frame-ancestors 'self'; form-action 'none'; base-uri 'none'"
    )
    assert.equal(frame.header('x-frame-options'), 'SAMEORIGIN')
    assert.include(frame.text(), 'Acme Corporation Ltd')
    assert.include(frame.text(), `http-equiv="Content-Security-Policy"`)

    const plain = await client.post('/app/invoicing/designs/preview').header('host', t.host).loginAs(t.owner).form({ template: TEMPLATE_V1 }).withCsrfToken().redirects(0)
    assert.match(plain.header('location') ?? '', /^\/app\/invoicing\/designs\/preview\?draft=/)

    const builtin = await client.get('/app/invoicing/designs/preview?design=builtin:compact').header('host', t.host).loginAs(t.owner)
    builtin.assertStatus(200)
    assert.include(builtin.text(), 'INV-2026-00042')
    const unknown = await client.get('/app/invoicing/designs/preview?design=../../etc/passwd').header('host', t.host).loginAs(t.owner)
    unknown.assertStatus(404)

    const broken = await client.get('/app/invoicing/designs/preview?draft=1').header('host', t.host).loginAs(t.owner)
    broken.assertStatus(200)

    const pdf = await client.post('/app/invoicing/designs/preview.pdf').header('host', t.host).loginAs(t.owner).form({ template: TEMPLATE_V2 }).withCsrfToken()
    pdf.assertStatus(200)
    assert.equal(pdf.header('content-type'), 'application/pdf')
    const badPdf = await client.post('/app/invoicing/designs/preview.pdf').header('host', t.host).loginAs(t.owner).form({ template: '{% if %}' }).withCsrfToken()
    badPdf.assertStatus(422)
  })

  test('only invoicing.settings.manage: guests sign in, other roles get 403, other tenants 404, disabled plugin 404', async ({ client, assert }) => {
    const t = await makeTenant()
    const other = await makeTenant()
    const design = await t.run(async () => {
      const { createDesign } = await import('../../services/pdf/design_service.js')
      return createDesign({ name: 'Mine', template: TEMPLATE_V1 }, null)
    })

    const guest = await client.get('/app/invoicing/designs').header('host', t.host).redirects(0)
    assert.oneOf(guest.status(), [302, 303])
    assert.include(guest.header('location') ?? '', '/login')

    for (const role of ['accountant', 'staff', 'viewer'] as const) {
      const user = await t.user(role)
      const list = await client.get('/app/invoicing/designs').header('host', t.host).loginAs(user)
      list.assertStatus(403)
      const save = await client
        .post(`/app/invoicing/designs/${design.id}`)
        .header('host', t.host)
        .loginAs(user)
        .form({ name: 'Hijack', template: 'x' })
        .withCsrfToken()
      save.assertStatus(403)
      const emails = await client.get('/app/invoicing/email-templates').header('host', t.host).loginAs(user)
      emails.assertStatus(403)
    }
    const admin = await t.user('admin')
    ;(await client.get('/app/invoicing/designs').header('host', t.host).loginAs(admin)).assertStatus(200)

    const foreign = await client.get(`/app/invoicing/designs/${design.id}`).header('host', other.host).loginAs(other.owner)
    foreign.assertStatus(404)
    const foreignSave = await client
      .post(`/app/invoicing/designs/${design.id}`)
      .header('host', other.host)
      .loginAs(other.owner)
      .form({ name: 'Hijack', template: 'x' })
      .withCsrfToken()
    foreignSave.assertStatus(404)
    const foreignPreview = await client.get(`/app/invoicing/designs/preview?design=tenant:${design.id}`).header('host', other.host).loginAs(other.owner)
    foreignPreview.assertStatus(404)
    const foreignDefault = await client
      .post('/app/invoicing/designs/default')
      .header('host', other.host)
      .loginAs(other.owner)
      .form({ design: `tenant:${design.id}` })
      .withCsrfToken()
    foreignDefault.assertStatus(404)
    await design.refresh()
    assert.equal(design.name, 'Mine')

    /* Plugins that build on invoicing (payments) go first: the kernel refuses to orphan them */
    const dependents = plugins.list().filter((p) => Object.keys(p.manifest.dependsOn ?? {}).includes('invoicing'))
    for (const dependent of dependents) await disablePlugin(t, dependent.manifest.id)
    await disablePlugin(t, 'invoicing')
    for (const url of ['/app/invoicing/designs', `/app/invoicing/designs/${design.id}`, '/app/invoicing/email-templates', '/app/invoicing/email-templates/invoice_sent/en']) {
      const off = await client.get(url).header('host', t.host).loginAs(t.owner)
      off.assertStatus(404)
    }
  })
})
