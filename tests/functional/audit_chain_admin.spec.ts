import { test } from '@japa/runner'
import AuditLog from '#models/audit_log'
import Role from '#models/role'
import { makeTenant, PASSWORD, type TestTenant } from '#tests/helpers/tenants'
import { audit } from '#services/audit_service'
import { verifyChain } from '#services/audit_integrity_service'
import { adminPolicyOf } from '#services/admin_policy_service'
import { neutraliseCell } from '#services/audit_query_service'

const UA = 'AuditTest/1.0 (security review)'

const ids = (html: string) => [...html.matchAll(/data-audit-id="(\d+)"/g)].map((m) => Number(m[1]))

async function seed(t: TestTenant) {
  return t.run(async () => {
    const a = await audit({ action: 'test.thing', subjectType: 'invoice', subjectId: 41, after: { note: '=HYPERLINK("http://evil.test","x")' } })
    const b = await audit({ action: 'test.thing', subjectType: 'invoice', subjectId: 42, after: { note: 'plain' } })
    const c = await audit({ action: 'test.thing', subjectType: 'customer', subjectId: 42, actor: { type: 'system', label: '+cmd|calc' } })
    return { a, b, c }
  })
}

function parseCsv(text: string) {
  const rows: string[][] = []
  let row: string[] = []
  let cell = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"'
        i++
      } else if (ch === '"') quoted = false
      else cell += ch
    } else if (ch === '"') quoted = true
    else if (ch === ',') {
      row.push(cell)
      cell = ''
    } else if (ch === '\n') {
      row.push(cell)
      rows.push(row)
      row = []
      cell = ''
    } else cell += ch
  }
  if (cell || row.length) rows.push([...row, cell])
  return rows
}

test.group('Audit log page: filters and export', () => {
  test('filters by subject (type or type:id) and by IP', async ({ client, assert }) => {
    const t = await makeTenant()
    const { a, b, c } = await seed(t)
    const get = (qs: string) => client.get(`/app/settings/audit?${qs}`).header('host', t.host).loginAs(t.owner)
    assert.deepEqual(ids((await get('subject=invoice')).text()), [Number(b.id), Number(a.id)])
    assert.deepEqual(ids((await get('subject=invoice:42')).text()), [Number(b.id)])
    assert.deepEqual(ids((await get('subject=customer:42')).text()), [Number(c.id)])

    /* an entry recorded during a request carries its IP */
    await client.post('/app/settings/audit/retention').header('host', t.host).loginAs(t.owner).form({ auditRetentionDays: 90 }).withCsrfToken().redirects(0)
    const byRequest = await AuditLog.forTenant(t.tenant.id).where('action', 'tenant.admin_policy_updated').firstOrFail()
    assert.isNotNull(byRequest.ip)
    assert.deepEqual(ids((await get(`ip=${encodeURIComponent(byRequest.ip!)}`)).text()), [Number(byRequest.id)])
    assert.deepEqual(ids((await get('ip=192.0.2.77')).text()), [])
  })

  test('bad subject or IP filters are errors, not a wider result', async ({ client, assert }) => {
    const t = await makeTenant()
    await seed(t)
    for (const qs of ['subject=%3Cscript%3E', 'ip=not-an-ip!']) {
      const page = await client.get(`/app/settings/audit?${qs}`).header('host', t.host).loginAs(t.owner)
      page.assertStatus(200)
      assert.deepEqual(ids(page.text()), [])
      assert.include(page.text(), 'aria-invalid="true"')
    }
    const csv = await client.get('/app/settings/audit/export?ip=not-an-ip!').header('host', t.host).loginAs(t.owner)
    csv.assertStatus(422)
  })

  test('exports the filtered entries as CSV with formula cells neutralised', async ({ client, assert }) => {
    const t = await makeTenant()
    const other = await makeTenant()
    await other.run(() => audit({ action: 'test.thing', subjectType: 'invoice', subjectId: 1 }))
    const { a, b } = await seed(t)
    const response = await client.get('/app/settings/audit/export?subject=invoice').header('host', t.host).loginAs(t.owner)
    response.assertStatus(200)
    assert.match(response.header('content-type') ?? '', /^text\/csv/)
    assert.match(response.header('content-disposition') ?? '', new RegExp(`attachment; filename="audit-${t.tenant.slug}-\\d{8}-\\d{4}\\.csv"`))
    const rows = parseCsv(response.text())
    const [header, ...data] = rows
    assert.equal(header[0], 'id')
    assert.include(header, 'hash')
    assert.deepEqual(data.map((r) => Number(r[0])), [Number(b.id), Number(a.id)])
    const after = header.indexOf('after')
    const evil = data.find((r) => Number(r[0]) === Number(a.id))!
    /* JSON starts with { so it is safe as it is; a bare formula value is prefixed with ' */
    assert.equal(evil[after], '{"note":"=HYPERLINK(\\"http://evil.test\\",\\"x\\")"}')
    assert.equal(evil[header.indexOf('hash')], a.hash)

    const all = parseCsv((await client.get('/app/settings/audit/export?subject=customer').header('host', t.host).loginAs(t.owner)).text())
    assert.equal(all[1][all[0].indexOf('actor')], "'+cmd|calc")
  })

  test('neutralises every cell that a spreadsheet would read as a formula', ({ assert }) => {
    for (const [input, output] of [
      ['=1+1', "'=1+1"],
      ['+1', "'+1"],
      ['-1', "'-1"],
      ['@SUM(A1)', "'@SUM(A1)"],
      ['\tx', "'\tx"],
      ['\r=x', "'\r=x"],
      ['ok', 'ok'],
      [null, ''],
      [12, '12'],
    ] as const) {
      assert.equal(neutraliseCell(input), output)
    }
  })

  test('a long log is exported completely', async ({ client, assert }) => {
    const t = await makeTenant()
    await t.run(async () => {
      for (let i = 0; i < 520; i++) await audit({ action: 'test.bulk', subjectType: 'row', subjectId: i })
    })
    const rows = parseCsv((await client.get('/app/settings/audit/export?action=test.bulk').header('host', t.host).loginAs(t.owner)).text())
    assert.lengthOf(rows, 521)
    assert.equal(rows[1][rows[0].indexOf('subject_id')], '519')
    assert.equal(rows[520][rows[0].indexOf('subject_id')], '0')
  })
})

test.group('Audit log page: retention', () => {
  test('an admin sets the retention; out-of-range values are field errors', async ({ client, assert }) => {
    const t = await makeTenant()
    const admin = await t.user('admin')
    const bad = await client.post('/app/settings/audit/retention').header('host', t.host).loginAs(admin).form({ auditRetentionDays: 3 }).withCsrfToken().redirects(0)
    bad.assertStatus(302)
    assert.property(bad.flashMessages().inputErrorsBag, 'auditRetentionDays')
    assert.equal((await adminPolicyOf(t.tenant.id)).auditRetentionDays, 365)

    const ok = await client.post('/app/settings/audit/retention').header('host', t.host).loginAs(admin).form({ auditRetentionDays: 730 }).withCsrfToken().redirects(0)
    ok.assertHeader('location', '/app/settings/audit')
    assert.equal((await adminPolicyOf(t.tenant.id)).auditRetentionDays, 730)
    const log = await AuditLog.forTenant(t.tenant.id).where('action', 'tenant.admin_policy_updated').firstOrFail()
    assert.deepEqual(log.before, { auditRetentionDays: 365 })
    assert.deepEqual(log.after, { auditRetentionDays: 730 })
    const page = await client.get('/app/settings/audit').header('host', t.host).loginAs(admin)
    assert.include(page.text(), 'value="730"')
  })

  test('authorization for export and retention: guests, roles, other tenants', async ({ client, assert }) => {
    const t = await makeTenant()
    const other = await makeTenant()
    const guest = await client.get('/app/settings/audit/export').header('host', t.host).redirects(0)
    assert.match(guest.header('location') ?? '', /^\/login/)
    ;(await client.get('/app/settings/audit/export').header('host', t.host).loginAs(await t.user('staff'))).assertStatus(403)
    ;(await client.get('/app/settings/audit/export').header('host', t.host).loginAs(await t.user('accountant'))).assertStatus(200)
    const accountant = await client
      .post('/app/settings/audit/retention')
      .header('host', t.host)
      .loginAs(await t.user('accountant'))
      .form({ auditRetentionDays: 30 })
      .withCsrfToken()
    accountant.assertStatus(403)
    const cross = await client.post('/app/settings/audit/retention').header('host', t.host).loginAs(other.owner).form({ auditRetentionDays: 30 }).withCsrfToken().redirects(0)
    assert.match(cross.header('location') ?? '', /^\/login/)
    assert.equal((await adminPolicyOf(t.tenant.id)).auditRetentionDays, 365)
  })
})

test.group('Audit trail coverage', () => {
  test('sign-in, failed sign-in, role change, setting change and tokens are recorded with IP and user agent', async ({ client, assert }) => {
    const t = await makeTenant()
    const staff = await t.user('staff')
    const login = await client.post('/login').header('host', t.host).header('user-agent', UA).form({ email: staff.email, password: PASSWORD }).withCsrfToken().redirects(0)
    login.assertHeader('location', '/app')
    await client.post('/login').header('host', t.host).header('user-agent', UA).form({ email: staff.email, password: 'wrong-password-here' }).withCsrfToken().redirects(0)
    const accountantRole = await Role.forTenant(t.tenant.id).where('key', 'accountant').firstOrFail()
    await client.post(`/app/settings/users/${staff.id}/role`).header('host', t.host).header('user-agent', UA).loginAs(t.owner).form({ roleId: accountantRole.id }).withCsrfToken().redirects(0)
    await client.post('/app/settings/security/network/limits').header('host', t.host).header('user-agent', UA).loginAs(t.owner).form({ apiRateLimitPerIp: 50 }).withCsrfToken().redirects(0)
    await client.post('/app/settings/tokens').header('host', t.host).header('user-agent', UA).loginAs(t.owner).form({ name: 'Audit check', scopes: ['kernel.users.view'] }).withCsrfToken().redirects(0)

    const logs = await AuditLog.forTenant(t.tenant.id).orderBy('id', 'asc')
    const find = (action: string) => logs.find((l) => l.action === action)
    for (const action of ['auth.login', 'auth.login_failed', 'user.role_changed', 'tenant.admin_policy_updated', 'token.created']) {
      const log = find(action)
      assert.exists(log, action)
      assert.equal(log!.userAgent, UA, action)
      assert.isNotNull(log!.ip, action)
    }
    assert.equal(find('auth.login')!.actorId, staff.id)
    assert.deepEqual(find('user.role_changed')!.after, { email: staff.email, role: 'accountant' })
    assert.deepEqual(find('tenant.admin_policy_updated')!.after, { apiLimitPerIp: 50 })

    const token = find('token.created')!
    await client.delete(`/app/settings/tokens/${token.subjectId}`).header('host', t.host).header('user-agent', UA).loginAs(t.owner).withCsrfToken().redirects(0)
    const revoked = await AuditLog.forTenant(t.tenant.id).where('action', 'token.revoked').firstOrFail()
    assert.equal(revoked.subjectId, token.subjectId)
    assert.equal(revoked.userAgent, UA)
    assert.isNull((await verifyChain(t.tenant.id)).broken)
  })
})
