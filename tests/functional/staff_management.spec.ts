import { test } from '@japa/runner'
import User from '#models/user'
import Role from '#models/role'
import AuditLog from '#models/audit_log'
import { makeTenant, PASSWORD, type TestTenant } from '#tests/helpers/tenants'
import { assertProblem, tokenFor } from '#tests/helpers/api'
import { findMember, setActive, transferOwnership, LastOwnerError, OwnershipTransferError } from '#services/user_admin_service'

async function roleOf(t: TestTenant, id: number) {
  const user = await User.forTenant(t.tenant.id).where('id', id).preload('role').firstOrFail()
  return user.role.key
}

async function statusOf(t: TestTenant, id: number) {
  return (await User.forTenant(t.tenant.id).where('id', id).firstOrFail()).status
}

function transfer(client: any, t: TestTenant, actor: User, form: Record<string, unknown>) {
  return client
    .post('/app/settings/users/transfer-ownership')
    .header('host', t.host)
    .loginAs(actor)
    .form(form)
    .withCsrfToken()
    .redirects(0)
}

test.group('Staff: deactivation takes effect at once', () => {
  test('blocks the password sign-in, the open session and the API tokens together', async ({ client, assert }) => {
    const t = await makeTenant()
    const staff = await t.user('staff')
    const token = await tokenFor(staff)

    const login = await client.post('/login').header('host', t.host).form({ email: staff.email, password: PASSWORD }).withCsrfToken().redirects(0)
    login.assertHeader('location', '/app')
    const before = await client.get('/app').header('host', t.host).withSession(login.session()).redirects(0)
    before.assertStatus(200)
    ;(await client.get('/api/v1/me').header('host', t.host).bearerToken(token)).assertStatus(200)

    const off = await client
      .post(`/app/settings/users/${staff.id}/deactivate`)
      .header('host', t.host)
      .loginAs(t.owner)
      .withCsrfToken()
      .redirects(0)
    off.assertStatus(302)

    /* the same session cookie, the next request */
    const session = await client.get('/app').header('host', t.host).withSession(login.session()).redirects(0)
    session.assertStatus(302)
    assert.match(session.header('location') ?? '', /^\/login/)
    assertProblem(assert, await client.get('/api/v1/me').header('host', t.host).bearerToken(token), 401, 'E_UNAUTHORIZED')
    const again = await client.post('/login').header('host', t.host).form({ email: staff.email, password: PASSWORD }).withCsrfToken().redirects(0)
    assert.notEqual(again.header('location'), '/app')
    assert.isNotNull(await AuditLog.forTenant(t.tenant.id).where('action', 'auth.login_failed').first())

    /* reactivated: the same token works again (it was never revoked, only refused) */
    await t.run(async () => setActive(await findMember(staff.id), true))
    ;(await client.get('/api/v1/me').header('host', t.host).bearerToken(token)).assertStatus(200)
  })
})

test.group('Staff: the last owner', () => {
  test('one of two owners may go; the one left can be neither demoted nor deactivated', async ({ client, assert }) => {
    const t = await makeTenant()
    const second = await User.create({
      tenantId: t.tenant.id,
      email: `owner2@${t.tenant.slug}.test`,
      password: PASSWORD,
      roleId: (await Role.forTenant(t.tenant.id).where('key', 'owner').firstOrFail()).id,
      status: 'active',
    })
    /* the second owner deactivates the first: allowed, one owner stays */
    const first = await client.post(`/app/settings/users/${t.owner.id}/deactivate`).header('host', t.host).loginAs(second).withCsrfToken().redirects(0)
    first.assertStatus(302)
    assert.equal(await statusOf(t, t.owner.id), 'deactivated')
    /* now the second is the last active owner: the service refuses */
    await assert.rejects(() => t.run(async () => setActive(await findMember(second.id), false)), LastOwnerError as any)
    const adminRole = await Role.forTenant(t.tenant.id).where('key', 'admin').firstOrFail()
    const { changeRole } = await import('#services/user_admin_service')
    await assert.rejects(() => t.run(async () => changeRole(await findMember(second.id), adminRole)), LastOwnerError as any)
    assert.equal(await roleOf(t, second.id), 'owner')
    assert.equal(await statusOf(t, second.id), 'active')
  })
})

test.group('Staff: transfer of ownership', () => {
  test('the owner hands over with their password: roles swap, audited', async ({ client, assert }) => {
    const t = await makeTenant()
    const admin = await t.user('admin')
    const page = await client.get('/app/settings/users/transfer-ownership').header('host', t.host).loginAs(t.owner)
    page.assertStatus(200)
    assert.include(page.text(), admin.email)
    assert.notInclude(page.text(), `value="${t.owner.id}"`)

    const response = await transfer(client, t, t.owner, { userId: admin.id, password: PASSWORD })
    response.assertStatus(302)
    response.assertHeader('location', '/app/settings/users')
    assert.equal(await roleOf(t, admin.id), 'owner')
    assert.equal(await roleOf(t, t.owner.id), 'admin')
    const log = await AuditLog.forTenant(t.tenant.id).where('action', 'tenant.ownership_transferred').firstOrFail()
    assert.equal(log.actorId, t.owner.id)
    assert.equal(log.subjectId, String(admin.id))
    assert.deepEqual(log.before, { owner: t.owner.email, newOwnerRole: 'admin' })
    assert.deepEqual(log.after, { owner: admin.email, previousOwnerRole: 'admin' })
    assert.isNotNull(log.ip)

    /* the former owner is an admin now: the page is closed to them */
    ;(await client.get('/app/settings/users/transfer-ownership').header('host', t.host).loginAs(t.owner)).assertStatus(403)
  })

  test('a wrong password or an ineligible member changes nothing', async ({ client, assert }) => {
    const t = await makeTenant()
    const staff = await t.user('staff')
    const wrong = await transfer(client, t, t.owner, { userId: staff.id, password: 'not-the-password' })
    wrong.assertStatus(302)
    assert.deepEqual(wrong.flashMessages().errorsBag, { password: 'The password is not correct.' })
    assert.equal(await roleOf(t, staff.id), 'staff')

    await t.run(async () => setActive(await findMember(staff.id), false))
    const inactive = await transfer(client, t, t.owner, { userId: staff.id, password: PASSWORD })
    assert.property(inactive.flashMessages().errorsBag, 'userId')
    const self = await transfer(client, t, t.owner, { userId: t.owner.id, password: PASSWORD })
    assert.property(self.flashMessages().errorsBag, 'userId')
    const missing = await transfer(client, t, t.owner, { password: PASSWORD })
    assert.property(missing.flashMessages().inputErrorsBag, 'userId')
    assert.equal(await roleOf(t, t.owner.id), 'owner')
    assert.equal(await roleOf(t, staff.id), 'staff')
  })

  test('authorization: guests, non-owners and other tenants', async ({ client, assert }) => {
    const t = await makeTenant()
    const other = await makeTenant()
    const admin = await t.user('admin')
    const staff = await t.user('staff')
    const guest = await client.get('/app/settings/users/transfer-ownership').header('host', t.host).redirects(0)
    assert.match(guest.header('location') ?? '', /^\/login/)
    ;(await client.get('/app/settings/users/transfer-ownership').header('host', t.host).loginAs(admin)).assertStatus(403)
    ;(await transfer(client, t, admin, { userId: admin.id, password: PASSWORD })).assertStatus(403)
    ;(await transfer(client, t, staff, { userId: staff.id, password: PASSWORD })).assertStatus(403)
    assert.equal(await roleOf(t, admin.id), 'admin')

    /* another tenant's member id is no candidate */
    const foreign = await other.user('admin')
    const cross = await transfer(client, t, t.owner, { userId: foreign.id, password: PASSWORD })
    assert.property(cross.flashMessages().errorsBag, 'userId')
    assert.equal(await roleOf(other, foreign.id), 'admin')
    assert.equal(await roleOf(t, t.owner.id), 'owner')
    /* and the other tenant's owner is not signed in here */
    const outsider = await transfer(client, t, other.owner, { userId: admin.id, password: PASSWORD })
    assert.match(outsider.header('location') ?? '', /^\/login/)
  })

  test('the service refuses a transfer by someone who is no longer an owner', async ({ assert }) => {
    const t = await makeTenant()
    const admin = await t.user('admin')
    const staff = await t.user('staff')
    await t.run(async () => transferOwnership(t.owner, await findMember(admin.id)))
    await assert.rejects(() => t.run(async () => transferOwnership(t.owner, await findMember(staff.id))), OwnershipTransferError as any)
    assert.equal(await roleOf(t, admin.id), 'owner')
    assert.equal(await roleOf(t, staff.id), 'staff')
  })

  test('the team page offers the transfer to owners only', async ({ client, assert }) => {
    const t = await makeTenant()
    const owner = await client.get('/app/settings/users').header('host', t.host).loginAs(t.owner)
    assert.include(owner.text(), 'id="kernel-ownership-link"')
    const admin = await client.get('/app/settings/users').header('host', t.host).loginAs(await t.user('admin'))
    assert.notInclude(admin.text(), 'id="kernel-ownership-link"')
  })
})
