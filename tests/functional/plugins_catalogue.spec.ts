import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import i18nManager from '@adonisjs/i18n/services/main'
import { relative } from 'node:path'
import app from '@adonisjs/core/services/app'
import plugins from '#kernel/plugin_service'
import { pluginLangPaths, pluginMigrationPaths } from '#config/plugins'
import { makeTenant, type TestTenant } from '#tests/helpers/tenants'

async function grantedRoles(t: TestTenant, permission: string) {
  const rows = await db
    .from('role_permissions')
    .join('roles', 'roles.id', 'role_permissions.role_id')
    .where('role_permissions.tenant_id', t.tenant.id)
    .where('role_permissions.permission', permission)
    .select('roles.key')
  return rows.map((r: { key: string }) => r.key).sort()
}

test.group('Plugins: permission catalogue', () => {
  test('the synced catalogue holds the kernel and the plugin permissions with their labels', async ({ assert }) => {
    const rows = await db.from('permissions').whereIn('plugin', ['kernel', 'sample']).select('key', 'plugin', 'label')
    const byKey = new Map(rows.map((r: { key: string; plugin: string; label: string }) => [r.key, r]))
    assert.deepInclude(byKey.get('sample.notes.view'), { plugin: 'sample', label: 'sample.permissions.view' })
    assert.deepInclude(byKey.get('sample.notes.manage'), { plugin: 'sample', label: 'sample.permissions.manage' })
    assert.deepInclude(byKey.get('kernel.users.manage'), { plugin: 'kernel' })
    const catalogue = plugins.permissionCatalogue().map((p) => p.key)
    assert.includeMembers(catalogue, ['sample.notes.view', 'sample.notes.manage'])
  })

  test('a new tenant grants plugin permissions to the roles its manifest names', async ({ assert }) => {
    const t = await makeTenant()
    assert.deepEqual(await grantedRoles(t, 'sample.notes.view'), ['accountant', 'admin', 'staff', 'viewer'])
    assert.deepEqual(await grantedRoles(t, 'sample.notes.manage'), ['admin', 'staff'])
  })

  test('a permission seen for the first time is granted to the named roles in every tenant', async ({ assert }) => {
    const a = await makeTenant()
    const b = await makeTenant()
    /* Pretend the plugin just gained this permission: no catalogue row, no grants */
    await db.from('role_permissions').where('permission', 'sample.notes.manage').delete()
    await db.from('permissions').where('key', 'sample.notes.manage').delete()
    assert.deepEqual(await grantedRoles(a, 'sample.notes.manage'), [])

    await plugins.syncPermissions()

    const row = await db.from('permissions').where('key', 'sample.notes.manage').first()
    assert.equal(row.plugin, 'sample')
    assert.deepEqual(await grantedRoles(a, 'sample.notes.manage'), ['admin', 'staff'])
    assert.deepEqual(await grantedRoles(b, 'sample.notes.manage'), ['admin', 'staff'])
  })

  test('a grant an admin removed is not given back by a later sync', async ({ assert }) => {
    const t = await makeTenant()
    const viewer = await db.from('roles').where({ tenant_id: t.tenant.id, key: 'viewer' }).first()
    await db.from('role_permissions').where({ role_id: viewer.id, permission: 'sample.notes.view' }).delete()
    await plugins.syncPermissions()
    assert.deepEqual(await grantedRoles(t, 'sample.notes.view'), ['accountant', 'admin', 'staff'])
  })

  test('a lost catalogue row is restored without duplicating existing grants', async ({ assert }) => {
    const t = await makeTenant()
    const label = (await db.from('permissions').where('key', 'sample.notes.view').first()).label
    await db.from('permissions').where('key', 'sample.notes.view').delete()
    await plugins.syncPermissions()
    assert.equal((await db.from('permissions').where('key', 'sample.notes.view').first()).label, label)
    assert.deepEqual(await grantedRoles(t, 'sample.notes.view'), ['accountant', 'admin', 'staff', 'viewer'])
  })
})

test.group('Plugins: migrations and language files', () => {
  test('plugin migrations ran with the kernel ones, dependencies first', async ({ assert }) => {
    assert.isTrue(await db.connection().schema.hasTable('sample_notes'))
    assert.isTrue(await db.connection().schema.hasTable('sample_addon_marks'))
    const ran = (await db.from('adonis_schema').orderBy('id', 'asc').select('name')).map(
      (r: { name: string }) => r.name
    )
    const sample = ran.indexOf('tests/fixtures/plugins/sample/database/migrations/2000_create_sample_notes_table')
    const addon = ran.indexOf('tests/fixtures/plugins/sample_addon/migrations/2100_create_sample_addon_marks_table')
    assert.isAbove(sample, -1)
    assert.isAbove(addon, sample)
  })

  test('migration and language folders follow the manifest paths, in load order', ({ assert }) => {
    const migrations = pluginMigrationPaths()
    const sampleMigrations = migrations.indexOf('tests/fixtures/plugins/sample/database/migrations')
    assert.isAbove(sampleMigrations, -1)
    assert.isAbove(migrations.indexOf('tests/fixtures/plugins/sample_addon/migrations'), sampleMigrations)
    const lang = pluginLangPaths().map((p) => relative(app.makePath(), p))
    const sampleLang = lang.indexOf('tests/fixtures/plugins/sample/resources/lang')
    assert.isAbove(sampleLang, -1)
    assert.isAbove(lang.indexOf('tests/fixtures/plugins/sample_addon/lang'), sampleLang)
  })

  test('plugin strings load in English and German', ({ assert }) => {
    assert.equal(i18nManager.locale('de').t('sample_addon.tip'), 'Tipp vom Zusatzmodul')
    assert.equal(i18nManager.locale('en').t('sample_addon.tip'), 'Tip from the add-on')
    assert.equal(i18nManager.locale('en').t('sample.title'), 'Sample notes')
    assert.equal(i18nManager.locale('de').t('sample.title'), 'Beispielnotizen')
    assert.equal(i18nManager.locale('de').t('sample.permissions.manage'), 'Notizen schreiben')
    assert.equal(i18nManager.locale('de').t('sample.notes_count', { count: 2 }), 'Notizen')
  })

  test('the nav entry is labelled in the user language', async ({ client, assert }) => {
    const t = await makeTenant()
    const link = (html: string) => html.match(/<a[^>]*data-nav-id="sample\.notes"[^>]*>([\s\S]*?)<\/a>/)?.[1] ?? ''
    const de = await client.get('/app?lang=de').header('host', t.host).loginAs(t.owner)
    de.assertStatus(200)
    assert.include(link(de.text()), 'Beispielnotizen')
    const en = await client.get('/app?lang=en').header('host', t.host).loginAs(t.owner)
    assert.include(link(en.text()), 'Sample notes')
    assert.notInclude(link(en.text()), 'Beispielnotizen')
  })
})
