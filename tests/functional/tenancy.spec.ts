import { test } from '@japa/runner'
import User from '#models/user'
import Role from '#models/role'
import { makeTenant } from '#tests/helpers/tenants'
import { MissingTenantError } from '#tenancy/tenant_context'

test.group('Tenancy: resolution from the Host', () => {
  test('a tenant subdomain serves that tenant', async ({ client }) => {
    const t = await makeTenant({ name: 'Acme Studio' })
    const response = await client.get('/login').header('host', `${t.host}:3333`)
    response.assertStatus(200)
    response.assertTextIncludes('Acme Studio')
  })

  test('an unknown tenant subdomain answers 404', async ({ client }) => {
    const response = await client.get('/login').header('host', 'nobody-here.localhost')
    response.assertStatus(404)
  })
})

test.group('Tenancy: fail closed', () => {
  test('querying a tenant-owned model without a tenant throws', async ({ assert }) => {
    await makeTenant()
    await assert.rejects(() => User.query().exec(), MissingTenantError as any)
    await assert.rejects(() => User.find(1), MissingTenantError as any)
    await assert.rejects(() => Role.all(), MissingTenantError as any)
    await assert.rejects(async () => User.query().where('id', 1).update({ fullName: 'x' }), MissingTenantError as any)
  })

  test('inside a tenant context, only that tenant rows are visible', async ({ assert }) => {
    const a = await makeTenant()
    const b = await makeTenant()
    const aUsers = await a.run(() => User.all())
    assert.isTrue(aUsers.length > 0)
    assert.isTrue(aUsers.every((u) => u.tenantId === a.tenant.id))
    const seenFromA = await a.run(() => User.find(b.owner.id))
    assert.isNull(seenFromA)
    const explicit = await User.forTenant(b.tenant.id).where('id', b.owner.id).first()
    assert.equal(explicit?.id, b.owner.id)
  })
})

test.group('Tenancy: scoping cannot be widened', () => {
  test('orWhere stays inside the tenant', async ({ assert }) => {
    const a = await makeTenant()
    const b = await makeTenant()
    const rows = await a.run(() =>
      User.query().where('email', 'nobody@example.com').orWhere('email', b.owner.email).exec()
    )
    assert.lengthOf(rows, 0)
  })

  test('counts, pagination and bulk updates are scoped', async ({ assert }) => {
    const a = await makeTenant()
    const b = await makeTenant()
    await b.user('staff')
    const count = await a.run(() => User.query().orWhere('id', '>', 0).count('* as total'))
    assert.equal(Number(count[0].$extras.total), 1)
    const page = await a.run(() => User.query().orWhere('id', '>', 0).paginate(1, 10))
    assert.equal(page.total, 1)
    await a.run(() => User.query().orWhere('id', '>', 0).update({ fullName: 'Changed' }))
    const untouched = await User.forTenant(b.tenant.id).where('id', b.owner.id).firstOrFail()
    assert.equal(untouched.fullName, 'Test Owner')
  })
})
