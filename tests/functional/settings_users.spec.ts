import { test } from '@japa/runner'
import mail from '@adonisjs/mail/services/main'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import User from '#models/user'
import Role from '#models/role'
import AuditLog from '#models/audit_log'
import { changeRole, findMember, findRole, LastOwnerError, setActive } from '#services/user_admin_service'
import { makeTenant, PASSWORD, type TestTenant } from '#tests/helpers/tenants'

async function roleId(t: TestTenant, key: string) {
  return (await Role.forTenant(t.tenant.id).where('key', key).firstOrFail()).id
}

async function reload(t: TestTenant, id: number) {
  return User.forTenant(t.tenant.id).where('id', id).preload('role').firstOrFail()
}

async function secondOwner(t: TestTenant) {
  return User.create({
    tenantId: t.tenant.id,
    email: `owner2@${t.tenant.slug}.test`,
    fullName: 'Second Owner',
    password: PASSWORD,
    roleId: await roleId(t, 'owner'),
    status: 'active',
  })
}

test.group('Settings: team list', () => {
  test('lists the members with role, status and last sign-in in the tenant time zone', async ({ client, assert }) => {
    const t = await makeTenant()
    t.tenant.timezone = 'Asia/Tokyo'
    await t.tenant.save()
    const staff = await t.user('staff')
    staff.lastLoginAt = DateTime.fromISO('2026-03-01T23:30:00Z')
    await staff.save()
    const page = await client.get('/app/settings/users').header('host', t.host).loginAs(await t.user('accountant'))
    page.assertStatus(200)
    const html = page.text()
    assert.include(html, 'id="kernel-users-table"')
    assert.include(html, staff.email)
    assert.include(html, t.owner.email)
    assert.include(html, '2026-03-02 08:30')
    assert.include(html, 'Last sign-in (Asia/Tokyo)')
    /* an accountant may look, not change */
    assert.notInclude(html, '/role"')
    assert.notInclude(html, 'id="kernel-users-invite"')
  })

  test('an admin sees no actions on owners nor on themselves', async ({ client, assert }) => {
    const t = await makeTenant()
    const admin = await t.user('admin')
    const staff = await t.user('staff')
    const html = (await client.get('/app/settings/users').header('host', t.host).loginAs(admin)).text()
    assert.include(html, `/app/settings/users/${staff.id}/role`)
    assert.notInclude(html, `/app/settings/users/${t.owner.id}/role`)
    assert.notInclude(html, `/app/settings/users/${admin.id}/role`)
    /* only owners hand out the owner role */
    assert.notMatch(html, new RegExp(`<option value="${await roleId(t, 'owner')}"`))
  })
})

test.group('Settings: changing roles', () => {
  test('an owner changes a role: persisted and audited', async ({ client, assert }) => {
    const t = await makeTenant()
    const staff = await t.user('staff')
    const response = await client
      .post(`/app/settings/users/${staff.id}/role`)
      .header('host', t.host)
      .loginAs(t.owner)
      .form({ roleId: await roleId(t, 'accountant') })
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(302)
    response.assertHeader('location', '/app/settings/users')
    assert.equal((await reload(t, staff.id)).role.key, 'accountant')
    const log = await AuditLog.forTenant(t.tenant.id).where('action', 'user.role_changed').firstOrFail()
    assert.equal(log.subjectId, String(staff.id))
    assert.equal(log.actorId, t.owner.id)
    assert.deepEqual(log.before, { email: staff.email, role: 'staff' })
    assert.deepEqual(log.after, { email: staff.email, role: 'accountant' })
  })

  test('an HTMX change answers the refreshed table with a toast', async ({ client, assert }) => {
    const t = await makeTenant()
    const staff = await t.user('staff')
    const response = await client
      .post(`/app/settings/users/${staff.id}/role`)
      .header('host', t.host)
      .header('hx-request', 'true')
      .header('hx-request-type', 'partial')
      .header('hx-target', 'div#kernel-users-table')
      .loginAs(t.owner)
      .form({ roleId: await roleId(t, 'viewer') })
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(200)
    const html = response.text()
    assert.match(html, /^\s*(<!--.*?-->\s*)?<div class="table-wrap" id="kernel-users-table"/s)
    assert.notInclude(html, '<html')
    assert.include(html, 'hx-swap-oob')
    assert.include(html, `Role of ${staff.email} changed.`)
    assert.equal((await reload(t, staff.id)).role.key, 'viewer')
  })

  test('admins cannot touch owners, make owners, or change their own role', async ({ client, assert }) => {
    const t = await makeTenant()
    const admin = await t.user('admin')
    const staff = await t.user('staff')
    const cases: Array<[number, string, string]> = [
      [t.owner.id, 'role', 'viewer'],
      [t.owner.id, 'deactivate', 'viewer'],
      [staff.id, 'role', 'owner'],
      [admin.id, 'role', 'viewer'],
      [admin.id, 'deactivate', 'viewer'],
    ]
    for (const [id, action, key] of cases) {
      const response = await client
        .post(`/app/settings/users/${id}/${action}`)
        .header('host', t.host)
        .loginAs(admin)
        .form({ roleId: await roleId(t, key) })
        .withCsrfToken()
        .redirects(0)
      assert.equal(response.status(), 403, `${action} on #${id} as ${key}`)
    }
    assert.equal((await reload(t, t.owner.id)).role.key, 'owner')
    assert.equal((await reload(t, t.owner.id)).status, 'active')
    assert.equal((await reload(t, staff.id)).role.key, 'staff')
    assert.equal((await reload(t, admin.id)).role.key, 'admin')
    assert.isNull(await AuditLog.forTenant(t.tenant.id).whereIn('action', ['user.role_changed', 'user.deactivated']).first())
  })

  test('an owner cannot change their own role', async ({ client, assert }) => {
    const t = await makeTenant()
    await secondOwner(t)
    const response = await client
      .post(`/app/settings/users/${t.owner.id}/role`)
      .header('host', t.host)
      .loginAs(t.owner)
      .form({ roleId: await roleId(t, 'admin') })
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(403)
    assert.equal((await reload(t, t.owner.id)).role.key, 'owner')
  })

  test('an owner makes another owner, who can then demote the first', async ({ client, assert }) => {
    const t = await makeTenant()
    const admin = await t.user('admin')
    await client
      .post(`/app/settings/users/${admin.id}/role`)
      .header('host', t.host)
      .loginAs(t.owner)
      .form({ roleId: await roleId(t, 'owner') })
      .withCsrfToken()
      .redirects(0)
    assert.equal((await reload(t, admin.id)).role.key, 'owner')
    const promoted = await reload(t, admin.id)
    const response = await client
      .post(`/app/settings/users/${t.owner.id}/role`)
      .header('host', t.host)
      .loginAs(promoted)
      .form({ roleId: await roleId(t, 'viewer') })
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(302)
    assert.equal((await reload(t, t.owner.id)).role.key, 'viewer')
  })

  test('a role id that is no number is a field error and changes nothing', async ({ client, assert }) => {
    const t = await makeTenant()
    const staff = await t.user('staff')
    const response = await client
      .post(`/app/settings/users/${staff.id}/role`)
      .header('host', t.host)
      .loginAs(t.owner)
      .form({ roleId: 'admin' })
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(302)
    assert.property(response.flashMessages().inputErrorsBag, 'roleId')
    assert.equal((await reload(t, staff.id)).role.key, 'staff')
  })
})

test.group('Settings: the last owner', () => {
  test('the last active owner can be neither demoted nor deactivated', async ({ assert }) => {
    const t = await makeTenant()
    await t.run(async () => {
      const owner = await findMember(t.owner.id)
      const viewer = await findRole(await roleId(t, 'viewer'))
      await assert.rejects(() => changeRole(owner, viewer), LastOwnerError as any)
      await assert.rejects(() => setActive(owner, false), LastOwnerError as any)
    })
    const owner = await reload(t, t.owner.id)
    assert.equal(owner.role.key, 'owner')
    assert.equal(owner.status, 'active')
  })

  test('a deactivated second owner does not count', async ({ assert }) => {
    const t = await makeTenant()
    const other = await secondOwner(t)
    other.status = 'deactivated'
    await other.save()
    await t.run(async () => {
      const viewer = await findRole(await roleId(t, 'viewer'))
      const owner = await findMember(t.owner.id)
      await assert.rejects(() => changeRole(owner, viewer), LastOwnerError as any)
    })
  })

  test('with two active owners one may go, then the other is the last', async ({ assert }) => {
    const t = await makeTenant()
    const other = await secondOwner(t)
    await t.run(async () => {
      const viewer = await findRole(await roleId(t, 'viewer'))
      assert.isTrue(await setActive(await findMember(other.id), false))
      const owner = await findMember(t.owner.id)
      await assert.rejects(() => changeRole(owner, viewer), LastOwnerError as any)
    })
    assert.equal((await reload(t, other.id)).status, 'deactivated')
  })

  test('a demotion waiting on another one still in progress sees it and is refused', async ({ assert }) => {
    const t = await makeTenant()
    const other = await secondOwner(t)
    const viewerId = await roleId(t, 'viewer')
    /* Another request has demoted the first owner but not committed yet */
    const pending = await db.transaction()
    await pending.from('users').where('id', t.owner.id).update({ role_id: viewerId })
    const outcome = t
      .run(async () => changeRole(await findMember(other.id), await findRole(viewerId)))
      .then(
        () => 'demoted',
        (error) => error
      )
    await new Promise((resolve) => setTimeout(resolve, 200))
    await pending.commit()
    assert.instanceOf(await outcome, LastOwnerError)
    const owners = await User.forTenant(t.tenant.id).where('role_id', await roleId(t, 'owner'))
    assert.deepEqual(
      owners.map((o) => o.id),
      [other.id]
    )
  })
})

test.group('Settings: deactivating', () => {
  test('a deactivated user cannot sign in, loses the open session, and can be reactivated', async ({ client, assert }) => {
    const t = await makeTenant()
    const staff = await t.user('staff')
    const response = await client
      .post(`/app/settings/users/${staff.id}/deactivate`)
      .header('host', t.host)
      .loginAs(t.owner)
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(302)
    assert.equal((await reload(t, staff.id)).status, 'deactivated')
    const log = await AuditLog.forTenant(t.tenant.id).where('action', 'user.deactivated').firstOrFail()
    assert.deepEqual(log.after, { email: staff.email, status: 'deactivated' })

    const login = await client
      .post('/login')
      .header('host', t.host)
      .form({ email: staff.email, password: PASSWORD })
      .withCsrfToken()
      .redirects(0)
    login.assertStatus(302)
    assert.notEqual(login.header('location'), '/app')
    const session = await client.get('/app').header('host', t.host).loginAs(await reload(t, staff.id)).redirects(0)
    session.assertStatus(302)
    assert.match(session.header('location') ?? '', /^\/login/)

    const back = await client
      .post(`/app/settings/users/${staff.id}/reactivate`)
      .header('host', t.host)
      .loginAs(t.owner)
      .withCsrfToken()
      .redirects(0)
    back.assertStatus(302)
    assert.equal((await reload(t, staff.id)).status, 'active')
    assert.isNotNull(await AuditLog.forTenant(t.tenant.id).where('action', 'user.reactivated').first())
    const again = await client
      .post('/login')
      .header('host', t.host)
      .form({ email: staff.email, password: PASSWORD })
      .withCsrfToken()
      .redirects(0)
    again.assertHeader('location', '/app')
  })

  test('an invited user goes back to invited when reactivated', async ({ assert }) => {
    const t = await makeTenant()
    const invited = await User.create({
      tenantId: t.tenant.id,
      email: `invited@${t.tenant.slug}.test`,
      password: null,
      roleId: await roleId(t, 'staff'),
      status: 'invited',
    })
    await t.run(async () => {
      await setActive(await findMember(invited.id), false)
      assert.equal((await reload(t, invited.id)).status, 'deactivated')
      await setActive(await findMember(invited.id), true)
    })
    assert.equal((await reload(t, invited.id)).status, 'invited')
  })
})

test.group('Settings: inviting', (group) => {
  group.each.teardown(() => mail.restore())

  test('an admin invites a colleague: an invited user and a mail', async ({ client, assert }) => {
    const t = await makeTenant()
    const fake = mail.fake()
    const admin = await t.user('admin')
    const response = await client
      .post('/app/settings/users')
      .header('host', t.host)
      .loginAs(admin)
      .form({ email: 'New.Colleague@Example.com', fullName: 'New Colleague', roleId: await roleId(t, 'accountant') })
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(302)
    response.assertHeader('location', '/app/settings/users')
    const user = await User.forTenant(t.tenant.id).where('email', 'new.colleague@example.com').preload('role').firstOrFail()
    assert.equal(user.status, 'invited')
    assert.equal(user.fullName, 'New Colleague')
    assert.equal(user.role.key, 'accountant')
    assert.lengthOf(fake.mails.queued(), 1)
    const log = await AuditLog.forTenant(t.tenant.id).where('action', 'user.invited').firstOrFail()
    assert.equal(log.actorId, admin.id)
  })

  test('bad or taken addresses are field errors and invite nobody', async ({ client, assert }) => {
    const t = await makeTenant()
    const fake = mail.fake()
    for (const [email, fullName] of [
      ['not-an-email', 'Someone'],
      [t.owner.email.toUpperCase(), 'Someone'],
      ['someone@example.com', ''],
    ]) {
      const response = await client
        .post('/app/settings/users')
        .header('host', t.host)
        .loginAs(t.owner)
        .form({ email, fullName, roleId: await roleId(t, 'staff') })
        .withCsrfToken()
        .redirects(0)
      response.assertStatus(302)
      const errors = response.flashMessages().inputErrorsBag as Record<string, string[]>
      assert.isTrue(Boolean(errors?.email || errors?.fullName), `no field error for ${email}`)
    }
    assert.lengthOf(await User.forTenant(t.tenant.id).where('status', 'invited'), 0)
    assert.lengthOf(fake.mails.queued(), 0)
  })

  test('an admin cannot invite an owner; an owner can', async ({ client, assert }) => {
    const t = await makeTenant()
    mail.fake()
    const ownerRole = await roleId(t, 'owner')
    const denied = await client
      .post('/app/settings/users')
      .header('host', t.host)
      .loginAs(await t.user('admin'))
      .form({ email: 'boss@example.com', fullName: 'Boss', roleId: ownerRole })
      .withCsrfToken()
      .redirects(0)
    denied.assertStatus(403)
    assert.isNull(await User.forTenant(t.tenant.id).where('email', 'boss@example.com').first())
    const allowed = await client
      .post('/app/settings/users')
      .header('host', t.host)
      .loginAs(t.owner)
      .form({ email: 'boss@example.com', fullName: 'Boss', roleId: ownerRole })
      .withCsrfToken()
      .redirects(0)
    allowed.assertStatus(302)
    assert.isNotNull(await User.forTenant(t.tenant.id).where('email', 'boss@example.com').first())
  })
})
