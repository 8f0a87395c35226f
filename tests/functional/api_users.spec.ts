import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import User from '#models/user'
import Role from '#models/role'
import { makeTenant, type TestTenant } from '#tests/helpers/tenants'
import { assertProblem, tokenFor } from '#tests/helpers/api'
import type { ApiClient, ApiResponse } from '@japa/api-client'

/* 23 more users: several share a creation second, so the id tie-break matters */
async function seedTeam(t: TestTenant) {
  const roles = await Role.forTenant(t.tenant.id).select('id', 'key')
  const roleId = (key: string) => roles.find((r) => r.key === key)!.id
  const base = DateTime.utc(2024, 1, 1, 12, 0, 0)
  for (let i = 0; i < 23; i++) {
    const role = ['admin', 'accountant', 'staff', 'viewer'][i % 4]
    const user = await User.create({
      tenantId: t.tenant.id,
      email: `member${String(i).padStart(2, '0')}@${t.tenant.slug}.test`,
      fullName: i === 5 ? 'Zoë 100%_Sure' : `Member ${i}`,
      password: null,
      roleId: roleId(role),
      status: i % 5 === 0 ? 'invited' : i % 7 === 0 ? 'deactivated' : 'active',
    })
    const createdAt = base.plus({ minutes: Math.floor(i / 3) })
    await db.from('users').where('id', user.id).update({ created_at: createdAt.toSQL({ includeOffset: false }) })
  }
}

async function walk(client: ApiClient, t: TestTenant, token: string, query: Record<string, string | number>) {
  const ids: number[] = []
  const emails: string[] = []
  let cursor: string | null = null
  let pages = 0
  do {
    const response: ApiResponse = await client
      .get('/api/v1/users')
      .header('host', t.host)
      .bearerToken(token)
      .qs(cursor ? { ...query, cursor } : query)
    response.assertStatus(200)
    const body: { data: Array<{ id: number; email: string }>; next_cursor: string | null } = response.body()
    ids.push(...body.data.map((u) => u.id))
    emails.push(...body.data.map((u) => u.email))
    if (body.next_cursor) {
      const link = response.header('link')
      if (!link?.includes(`cursor=${body.next_cursor}`) || !link.endsWith('>; rel="next"')) {
        throw new Error(`Link header does not point to the next page: ${link}`)
      }
    } else if (response.header('link')) {
      throw new Error('the last page must not have a next link')
    }
    cursor = body.next_cursor
    pages++
  } while (cursor && pages < 50)
  return { ids, emails, pages }
}

test.group('API /users: cursor pagination', (group) => {
  let t: TestTenant
  let token: string
  group.setup(async () => {
    t = await makeTenant()
    await seedTeam(t)
    token = await tokenFor(t.owner, ['kernel.users.view'])
  })

  test('walks every user exactly once in each sort order ({$self})')
    .with(['created_at', '-created_at', 'email', '-email'])
    .run(async ({ client, assert }, sort) => {
      const all = await User.forTenant(t.tenant.id).select('id', 'email', 'created_at')
      const { ids, emails, pages } = await walk(client, t, token, { limit: 5, sort })
      assert.equal(pages, Math.ceil(all.length / 5))
      assert.lengthOf(ids, all.length)
      assert.lengthOf(new Set(ids), all.length, 'no duplicates')
      assert.sameMembers(ids, all.map((u) => u.id))
      if (sort.endsWith('email')) {
        const expected = [...emails].sort()
        assert.deepEqual(emails, sort.startsWith('-') ? expected.reverse() : expected)
      } else {
        const key = (u: User) => `${u.createdAt.toMillis().toString().padStart(15, '0')}:${String(u.id).padStart(9, '0')}`
        const expected = [...all].sort((a, b) => key(a).localeCompare(key(b))).map((u) => u.id)
        assert.deepEqual(ids, sort.startsWith('-') ? expected.reverse() : expected)
      }
    })

  test('defaults to 25 per page, oldest first; a limit of 100 returns everyone', async ({ client, assert }) => {
    const first = await client.get('/api/v1/users').header('host', t.host).bearerToken(token)
    first.assertStatus(200)
    assert.lengthOf(first.body().data, 24)
    assert.isNull(first.body().next_cursor)
    /* the seeded members date from 2024, the owner from now */
    assert.equal(first.body().data[0].email, `member00@${t.tenant.slug}.test`)
    const owner = first.body().data[23]
    assert.deepInclude(owner, { id: t.owner.id, role: 'owner', status: 'active', email: t.owner.email, name: 'Test Owner' })
    assert.match(owner.created_at, /^\d{4}-\d\d-\d\dT.*Z$/)
    assert.properties(owner, ['locale', 'last_login_at'])
    const small = await client.get('/api/v1/users').header('host', t.host).bearerToken(token).qs({ limit: 10 })
    assert.lengthOf(small.body().data, 10)
    assert.isString(small.body().next_cursor)
  })

  test('keeps filters across pages', async ({ client, assert }) => {
    const { ids } = await walk(client, t, token, { limit: 2, status: 'active', sort: '-email' })
    const expected = await User.forTenant(t.tenant.id).where('status', 'active').select('id')
    assert.sameMembers(ids, expected.map((u) => u.id))
  })
})

test.group('API /users: filters and sorting', (group) => {
  let t: TestTenant
  let token: string
  group.setup(async () => {
    t = await makeTenant()
    await seedTeam(t)
    token = await tokenFor(t.owner, ['kernel.users.view'])
  })

  const list = (client: ApiClient, qs: Record<string, string>) =>
    client.get('/api/v1/users').header('host', t.host).bearerToken(token).qs({ limit: '100', ...qs })

  test('role and status filter', async ({ client, assert }) => {
    const staff = (await list(client, { role: 'staff' })).body().data
    assert.isAbove(staff.length, 0)
    assert.isTrue(staff.every((u: any) => u.role === 'staff'))
    const invited = (await list(client, { status: 'invited' })).body().data
    assert.lengthOf(invited, 5)
    assert.isTrue(invited.every((u: any) => u.status === 'invited'))
    const both = (await list(client, { role: 'admin', status: 'invited' })).body().data
    assert.isTrue(both.every((u: any) => u.role === 'admin' && u.status === 'invited'))
    assert.isAbove(both.length, 0)
  })

  test('q searches email and name, case-insensitively, with % and _ taken literally', async ({ client, assert }) => {
    const byEmail = (await list(client, { q: 'MEMBER1' })).body().data.map((u: any) => u.email)
    assert.sameMembers(byEmail, Array.from({ length: 10 }, (_, i) => `member1${i}@${t.tenant.slug}.test`))
    const byName = (await list(client, { q: 'zoë 100%_s' })).body().data
    assert.lengthOf(byName, 1)
    assert.equal(byName[0].name, 'Zoë 100%_Sure')
    assert.lengthOf((await list(client, { q: '%' })).body().data, 1)
    assert.lengthOf((await list(client, { q: 'nobody-matches-this' })).body().data, 0)
  })

  test('does not list users of other tenants', async ({ client, assert }) => {
    const other = await makeTenant()
    const data = (await list(client, { q: other.tenant.slug })).body().data
    assert.lengthOf(data, 0)
    const all = (await list(client, {})).body().data
    assert.isTrue(all.every((u: any) => u.email.endsWith(`${t.tenant.slug}.test`)))
  })

  test('invalid parameters answer 422 listing every field', async ({ client, assert }) => {
    const response = await list(client, { limit: '0', sort: 'password', role: 'king', status: 'x' })
    const body = assertProblem(assert, response, 422, 'E_VALIDATION_ERROR')
    assert.sameMembers(body.errors!.map((e) => e.field), ['limit', 'sort', 'role', 'status'])
    for (const error of body.errors!) {
      assert.isString(error.message)
      assert.isString(error.rule)
    }
    const tooMany = assertProblem(assert, await list(client, { limit: '101' }), 422, 'E_VALIDATION_ERROR')
    assert.deepEqual(tooMany.errors!.map((e) => [e.field, e.rule]), [['limit', 'range']])
    const text = assertProblem(assert, await list(client, { limit: 'ten' }), 422, 'E_VALIDATION_ERROR')
    assert.equal(text.errors![0].field, 'limit')
  })

  test('a garbage cursor, or one made for another sort, answers 422', async ({ client, assert }) => {
    const garbage = assertProblem(assert, await list(client, { cursor: 'not!base64' }), 422, 'E_VALIDATION_ERROR')
    assert.deepEqual(garbage.errors!.map((e) => [e.field, e.rule]), [['cursor', 'cursor']])
    const json = Buffer.from('{"x":1}').toString('base64url')
    assertProblem(assert, await list(client, { cursor: json }), 422, 'E_VALIDATION_ERROR')
    const page = (await list(client, { limit: '3', sort: 'email' })).body()
    const mixed = assertProblem(assert, await list(client, { sort: '-email', cursor: page.next_cursor }), 422, 'E_VALIDATION_ERROR')
    assert.equal(mixed.errors![0].field, 'cursor')
  })

  test('validation messages follow Accept-Language', async ({ client, assert }) => {
    const response = await list(client, { limit: '0' }).header('accept-language', 'de')
    const body = assertProblem(assert, response, 422, 'E_VALIDATION_ERROR')
    assert.include(body.errors![0].message, 'Limit')
    assert.include(body.errors![0].message, 'zwischen')
  })
})
