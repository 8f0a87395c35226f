import { test } from '@japa/runner'
import { definePlugin, kebab, type PluginManifest } from '#kernel/plugin_manifest'

function manifest(id: string, extra: Partial<PluginManifest> = {}): PluginManifest {
  return { id, name: id, version: '1.0.0', kernel: '^1.0.0', ...extra }
}

test.group('definePlugin', () => {
  test('accepts a well-formed manifest and returns it', ({ assert }) => {
    const m = manifest('invoice_reminders', {
      dependsOn: { invoicing: '^1.0.0' },
      permissions: { 'invoice_reminders.items.view': { label: 'x', roles: ['admin', 'viewer'] } },
      jobs: { 'invoice_reminders:send_reminders': { handler: async () => ({ default: async () => {} }) } },
    })
    assert.strictEqual(definePlugin(m), m)
  })

  test('refuses ids that are not snake_case', ({ assert }) => {
    for (const id of ['Invoicing', 'time-tracking', '1st', '', 'crm sync', '_private']) {
      assert.throws(() => definePlugin(manifest(id)), /must be snake_case/, id)
    }
  })

  test('refuses permission names outside <id>.<resource>.<verb>', ({ assert }) => {
    for (const key of [
      'other.items.view',
      'crm.items',
      'crm.items.view.extra',
      'crm..view',
      'crm.Items.view',
      'crm.items.view-all',
      'crmx.items.view',
    ]) {
      assert.throws(
        () => definePlugin(manifest('crm', { permissions: { [key]: { label: key } } })),
        /must be named crm\.<resource>\.<verb>/,
        key
      )
    }
  })

  test('refuses permissions granted to roles that do not exist', ({ assert }) => {
    assert.throws(
      () =>
        definePlugin(
          manifest('crm', { permissions: { 'crm.items.view': { label: 'x', roles: ['superuser' as any] } } })
        ),
      /unknown role "superuser"/
    )
  })

  test('refuses job names outside <id>:<verb_noun>', ({ assert }) => {
    const handler = async () => ({ default: async () => {} })
    assert.throws(() => definePlugin(manifest('crm', { jobs: { 'other:sync': { handler } } })), /crm:<verb_noun>/)
    assert.throws(() => definePlugin(manifest('crm', { jobs: { 'crm:': { handler } } })), /crm:<verb_noun>/)
  })

  test('refuses versions and dependency ranges that are not semver', ({ assert }) => {
    assert.throws(() => definePlugin(manifest('crm', { version: 'one' })), /not a semver version/)
    assert.throws(() => definePlugin(manifest('crm', { dependsOn: { base: 'soon' } })), /no valid semver range/)
    assert.throws(() => definePlugin(manifest('crm', { dependsOn: { 'Base-X': '*' } })), /not a plugin id/)
  })

  test('refuses a select setting whose default is not an option', ({ assert }) => {
    assert.throws(
      () =>
        definePlugin(
          manifest('crm', { settings: { mode: { type: 'select', label: 'x', options: ['a', 'b'], default: 'c' } } })
        ),
      /not one of its options/
    )
  })

  test('the kebab form of an id is its URL segment', ({ assert }) => {
    assert.equal(kebab('invoice_reminders'), 'invoice-reminders')
    assert.equal(kebab('crm'), 'crm')
  })
})
