import { test } from '@japa/runner'
import { randomBytes } from 'node:crypto'
import type { ApiClient, ApiRequest } from '@japa/api-client'
import PlatformAdmin from '#models/platform_admin'
import Tenant from '#models/tenant'
import TenantDomain from '#models/tenant_domain'
import AuditLog from '#models/audit_log'
import { useTxtResolver } from '#services/tenant_domain_service'
import { makeTenant, PASSWORD, uniqueSlug } from '#tests/helpers/tenants'

const PLATFORM = 'localhost'

async function makeAdmin() {
  return PlatformAdmin.create({ email: `ops-${randomBytes(4).toString('hex')}@platform.test`, password: PASSWORD, fullName: 'Ops' })
}

function asAdmin(client: ApiClient, admin: PlatformAdmin, method: 'get' | 'post' | 'delete', url: string): ApiRequest {
  const request: ApiRequest = client[method](url)
  return request.header('host', PLATFORM).withGuard('platform').loginAs(admin).redirects(0)
}

test.group('Platform: access', () => {
  test('signed out, every platform page sends to the platform sign-in', async ({ client }) => {
    for (const url of ['/platform', '/platform/tenants/create', '/platform/tenants/1']) {
      const response = await client.get(url).header('host', PLATFORM).redirects(0)
      response.assertStatus(302)
      response.assertHeader('location', '/platform/login')
    }
    const post = await client.post('/platform/tenants/1/suspend').header('host', PLATFORM).withCsrfToken().redirects(0)
    post.assertHeader('location', '/platform/login')
  })

  test("a tenant owner's session does not open the platform area", async ({ client, assert }) => {
    const t = await makeTenant()
    const response = await client.get('/platform').header('host', PLATFORM).loginAs(t.owner).redirects(0)
    response.assertStatus(302)
    response.assertHeader('location', '/platform/login')
    const suspend = await client
      .post(`/platform/tenants/${t.tenant.id}/suspend`)
      .header('host', PLATFORM)
      .loginAs(t.owner)
      .withCsrfToken()
      .redirects(0)
    suspend.assertHeader('location', '/platform/login')
    assert.equal((await Tenant.findOrFail(t.tenant.id)).status, 'active')
  })

  test("an operator's session does not open tenant pages", async ({ client }) => {
    const t = await makeTenant()
    const admin = await makeAdmin()
    const response = await client.get('/app').header('host', t.host).withGuard('platform').loginAs(admin).redirects(0)
    response.assertStatus(302)
    response.assertHeader('location', '/login?next=%2Fapp')
  })

  test('the platform area does not exist on tenant hosts or unknown hosts', async ({ client }) => {
    const t = await makeTenant()
    const admin = await makeAdmin()
    ;(await client.get('/platform/login').header('host', t.host)).assertStatus(404)
    ;(await client.get('/platform').header('host', t.host).withGuard('platform').loginAs(admin)).assertStatus(404)
    ;(await client.get('/platform/login').header('host', 'nobody-here.localhost')).assertStatus(404)
    ;(await client.get('/platform/login').header('host', PLATFORM)).assertStatus(200)
  })
})

test.group('Platform: sign-in', () => {
  test('an operator signs in and out', async ({ client }) => {
    const admin = await makeAdmin()
    const response = await client
      .post('/platform/login')
      .header('host', PLATFORM)
      .form({ email: admin.email, password: PASSWORD })
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(302)
    response.assertHeader('location', '/platform')
    const out = await asAdmin(client, admin, 'post', '/platform/logout').withCsrfToken()
    out.assertHeader('location', '/platform/login')
  })

  test('a tenant owner cannot sign in to the platform with their password', async ({ client }) => {
    const t = await makeTenant()
    const response = await client
      .post('/platform/login')
      .header('host', PLATFORM)
      .form({ email: t.owner.email, password: PASSWORD })
      .withCsrfToken()
      .redirects(0)
    response.assertHeader('location', '/platform/login')
    response.assertFlashMessage('errorsBag', { email: 'Email or password is not correct.' })
  })

  test('the 6th attempt after five wrong passwords is refused even with the right one', async ({ client, assert }) => {
    const admin = await makeAdmin()
    const attempt = (password: string) =>
      client
        .post('/platform/login')
        .header('host', PLATFORM)
        .form({ email: admin.email, password })
        .withCsrfToken()
        .redirects(0)
    for (let i = 0; i < 5; i++) await attempt('wrong-password')
    const response = await attempt(PASSWORD)
    response.assertHeader('location', '/platform/login')
    assert.match((response.flashMessage('errorsBag') as any).email, /^Too many attempts/)
  })
})

test.group('Platform: tenants', () => {
  test('the list shows slug, name, status, user count and creation date', async ({ client, assert }) => {
    const t = await makeTenant({ name: 'Listed Ltd' })
    await t.user('staff')
    const admin = await makeAdmin()
    const page = await asAdmin(client, admin, 'get', '/platform')
    page.assertStatus(200)
    page.assertTextIncludes('Listed Ltd')
    page.assertTextIncludes(`<tr data-tenant="${t.tenant.slug}">`)
    const row = page.text().split(`<tr data-tenant="${t.tenant.slug}">`)[1].split('</tr>')[0]
    assert.include(row, '<td data-testid="user-count">2</td>')
    assert.include(row, 'Active')
    assert.include(row, t.tenant.createdAt.toISODate()!)
  })

  test('creating a tenant makes it reachable on its host with its owner', async ({ client, assert }) => {
    const admin = await makeAdmin()
    const slug = uniqueSlug('new')
    const form = await asAdmin(client, admin, 'get', '/platform/tenants/create')
    form.assertStatus(200)
    form.assertTextIncludes('name="ownerPassword"')

    const response = await asAdmin(client, admin, 'post', '/platform/tenants')
      .form({ name: 'Fresh Start', slug, ownerEmail: `boss@${slug}.test`, ownerPassword: PASSWORD, ownerName: 'Boss', locale: 'de' })
      .withCsrfToken()
    const tenant = await Tenant.findByOrFail('slug', slug)
    response.assertHeader('location', `/platform/tenants/${tenant.id}`)
    assert.equal(tenant.locale, 'de')
    const audit = await AuditLog.forTenant(tenant.id).where('action', 'platform.tenant_created').firstOrFail()
    assert.equal(audit.actorType, 'platform')
    assert.equal(audit.actorId, admin.id)

    const login = await client
      .post('/login')
      .header('host', `${slug}.localhost`)
      .form({ email: `boss@${slug}.test`, password: PASSWORD })
      .withCsrfToken()
      .redirects(0)
    login.assertHeader('location', '/app')
  })

  test('invalid tenant input is shown as field errors', async ({ client, assert }) => {
    const existing = await makeTenant()
    const admin = await makeAdmin()
    const post = (fields: Record<string, string>) =>
      asAdmin(client, admin, 'post', '/platform/tenants')
        .header('referer', 'http://localhost/platform/tenants/create')
        .form({ name: 'X', ownerEmail: 'a@b.test', ownerPassword: PASSWORD, ...fields })
        .withCsrfToken()
    const reserved = await post({ slug: 'admin' })
    reserved.assertHeader('location', 'http://localhost/platform/tenants/create')
    assert.property(reserved.flashMessage('inputErrorsBag'), 'slug')
    const taken = await post({ slug: existing.tenant.slug })
    assert.property(taken.flashMessage('inputErrorsBag'), 'slug')
    const weak = await post({ slug: uniqueSlug(), ownerPassword: 'short' })
    assert.property(weak.flashMessage('inputErrorsBag'), 'ownerPassword')
  })

  test('suspending a tenant closes its host; reactivating opens it again', async ({ client, assert }) => {
    const t = await makeTenant()
    const admin = await makeAdmin()
    const suspend = await asAdmin(client, admin, 'post', `/platform/tenants/${t.tenant.id}/suspend`).withCsrfToken()
    suspend.assertHeader('location', `/platform/tenants/${t.tenant.id}`)
    assert.equal((await Tenant.findOrFail(t.tenant.id)).status, 'suspended')
    ;(await client.get('/login').header('host', t.host)).assertStatus(404)
    const show = await asAdmin(client, admin, 'get', `/platform/tenants/${t.tenant.id}`)
    show.assertTextIncludes('data-testid="tenant-status">Suspended')

    await asAdmin(client, admin, 'post', `/platform/tenants/${t.tenant.id}/reactivate`).withCsrfToken()
    assert.equal((await Tenant.findOrFail(t.tenant.id)).status, 'active')
    ;(await client.get('/login').header('host', t.host)).assertStatus(200)
    const actions = (await AuditLog.forTenant(t.tenant.id).where('actor_type', 'platform').orderBy('id')).map((l) => l.action)
    assert.deepEqual(actions, ['platform.tenant_suspended', 'platform.tenant_reactivated'])
  })

  test('an unknown tenant id answers 404', async ({ client }) => {
    const admin = await makeAdmin()
    ;(await asAdmin(client, admin, 'get', '/platform/tenants/999999')).assertStatus(404)
    ;(await asAdmin(client, admin, 'get', '/platform/tenants/abc')).assertStatus(404)
    ;(await asAdmin(client, admin, 'post', '/platform/tenants/999999/suspend').withCsrfToken()).assertStatus(404)
  })
})

test.group('Platform: custom domains', (group) => {
  group.each.teardown(() => useTxtResolver(null))

  async function addDomain(client: ApiClient, admin: PlatformAdmin, tenantId: number, domain: string) {
    return asAdmin(client, admin, 'post', `/platform/tenants/${tenantId}/domains`)
      .header('referer', `http://localhost/platform/tenants/${tenantId}`)
      .form({ domain })
      .withCsrfToken()
  }

  test('adding a domain shows the TXT record; verifying it makes the Host resolve to the tenant', async ({ client, assert }) => {
    const t = await makeTenant({ name: 'Custom Host Co' })
    const admin = await makeAdmin()
    const host = `app.${randomBytes(3).toString('hex')}-customer.example`
    const added = await addDomain(client, admin, t.tenant.id, host.toUpperCase())
    added.assertHeader('location', `/platform/tenants/${t.tenant.id}`)
    const domain = await TenantDomain.findByOrFail('domain', host)
    assert.isNull(domain.verifiedAt)

    const show = await asAdmin(client, admin, 'get', `/platform/tenants/${t.tenant.id}`)
    show.assertTextIncludes(`_coderon-verify.${host}`)
    show.assertTextIncludes(`<code data-testid="txt-value">coderon-verify=${domain.verificationToken}</code>`)

    /* Unverified: the domain does not serve the tenant */
    ;(await client.get('/login').header('host', host)).assertStatus(404)

    const asked: string[] = []
    useTxtResolver(async (name) => {
      asked.push(name)
      return [['v=spf1 -all'], ['coderon-verify=', domain.verificationToken]]
    })
    const verify = await asAdmin(client, admin, 'post', `/platform/tenants/${t.tenant.id}/domains/${domain.id}/verify`).withCsrfToken()
    verify.assertHeader('location', `/platform/tenants/${t.tenant.id}`)
    verify.assertFlashMessage('success', `${host} is verified and now serves this tenant.`)
    assert.deepEqual(asked, [`_coderon-verify.${host}`])
    await domain.refresh()
    assert.isNotNull(domain.verifiedAt)

    const page = await client.get('/login').header('host', `${host}:3333`)
    page.assertStatus(200)
    page.assertTextIncludes('Custom Host Co')
    assert.exists(await AuditLog.forTenant(t.tenant.id).where('action', 'platform.domain_verified').first())
  })

  test('a missing or wrong TXT record leaves the domain unverified', async ({ client, assert }) => {
    const t = await makeTenant()
    const admin = await makeAdmin()
    const host = `${randomBytes(3).toString('hex')}.example.org`
    await addDomain(client, admin, t.tenant.id, host)
    const domain = await TenantDomain.findByOrFail('domain', host)

    useTxtResolver(async () => {
      throw Object.assign(new Error('queryTxt ENOTFOUND'), { code: 'ENOTFOUND' })
    })
    const missing = await asAdmin(client, admin, 'post', `/platform/tenants/${t.tenant.id}/domains/${domain.id}/verify`).withCsrfToken()
    missing.assertFlashMessage('error', `The TXT record for ${host} was not found yet. DNS changes can take a while; try again later.`)

    useTxtResolver(async () => [['coderon-verify=not-the-token']])
    await asAdmin(client, admin, 'post', `/platform/tenants/${t.tenant.id}/domains/${domain.id}/verify`).withCsrfToken()
    await domain.refresh()
    assert.isNull(domain.verifiedAt)
    ;(await client.get('/login').header('host', host)).assertStatus(404)
  })

  test('invalid, platform-owned and duplicate domains are refused', async ({ client, assert }) => {
    const a = await makeTenant()
    const b = await makeTenant()
    const admin = await makeAdmin()
    const host = `${randomBytes(3).toString('hex')}.example.net`
    for (const bad of ['not a domain', 'localhost', `${b.tenant.slug}.localhost`, 'http://x.example.com']) {
      const response = await addDomain(client, admin, a.tenant.id, bad)
      assert.property(response.flashMessage('inputErrorsBag'), 'domain', bad)
    }
    await addDomain(client, admin, a.tenant.id, host)
    const duplicate = await addDomain(client, admin, b.tenant.id, host)
    assert.property(duplicate.flashMessage('inputErrorsBag'), 'domain')
    assert.equal(await TenantDomain.query().where('domain', host).count('* as total').then((r) => Number(r[0].$extras.total)), 1)
  })

  test("a domain is only reachable through its own tenant's URL, and removing it stops resolution", async ({ client, assert }) => {
    const a = await makeTenant()
    const b = await makeTenant()
    const admin = await makeAdmin()
    const host = `${randomBytes(3).toString('hex')}.example.com`
    await addDomain(client, admin, a.tenant.id, host)
    const domain = await TenantDomain.findByOrFail('domain', host)
    useTxtResolver(async () => [[`coderon-verify=${domain.verificationToken}`]])

    ;(await asAdmin(client, admin, 'post', `/platform/tenants/${b.tenant.id}/domains/${domain.id}/verify`).withCsrfToken()).assertStatus(404)
    ;(await asAdmin(client, admin, 'delete', `/platform/tenants/${b.tenant.id}/domains/${domain.id}`).withCsrfToken()).assertStatus(404)

    await asAdmin(client, admin, 'post', `/platform/tenants/${a.tenant.id}/domains/${domain.id}/verify`).withCsrfToken()
    ;(await client.get('/login').header('host', host)).assertStatus(200)

    const removed = await asAdmin(client, admin, 'post', `/platform/tenants/${a.tenant.id}/domains/${domain.id}?_method=DELETE`).withCsrfToken()
    removed.assertHeader('location', `/platform/tenants/${a.tenant.id}`)
    assert.isNull(await TenantDomain.find(domain.id))
    ;(await client.get('/login').header('host', host)).assertStatus(404)
  })

  test('mail links use the verified custom domain', async ({ client, assert }) => {
    const t = await makeTenant()
    const admin = await makeAdmin()
    const host = `${randomBytes(3).toString('hex')}.example.com`
    await addDomain(client, admin, t.tenant.id, host)
    const domain = await TenantDomain.findByOrFail('domain', host)
    const { tenantUrl } = await import('#services/mail_service')
    assert.match(await tenantUrl(t.tenant, '/x'), new RegExp(`^http://${t.host}(:\\d+)?/x$`))
    useTxtResolver(async () => [[`coderon-verify=${domain.verificationToken}`]])
    await asAdmin(client, admin, 'post', `/platform/tenants/${t.tenant.id}/domains/${domain.id}/verify`).withCsrfToken()
    assert.match(await tenantUrl(t.tenant, '/x'), new RegExp(`^http://${host}(:\\d+)?/x$`))
  })
})
