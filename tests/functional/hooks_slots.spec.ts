import { test } from '@japa/runner'
import { randomBytes } from 'node:crypto'
import edge from 'edge.js'
import i18nManager from '@adonisjs/i18n/services/main'
import hooks from '#kernel/hooks'
import { makeTenant } from '#tests/helpers/tenants'
import { disablePlugin, enablePlugin, slotItemIds } from '#tests/helpers/plugins'
import Note from '../fixtures/plugins/sample/models/note.js'

/** The rendered contents of the sample page's aside, where the `ui.slot.sample.aside` slot renders */
function aside(html: string) {
  const match = html.match(/<aside id="sample-notes-aside">([\s\S]*?)<\/aside>/)
  if (!match) throw new Error('the sample page has no aside')
  return match[1]
}

test.group('Hooks: ui.slot.<name> rendered by the uiSlot Edge global', () => {
  test('renders the taps in item order, then tap order; items without an order go last', async ({ assert }) => {
    const t = await makeTenant()
    const slot = `test.${randomBytes(4).toString('hex')}`
    edge.registerTemplate(`tests/${slot}`, {
      template: '<i data-slot-item="{{ itemId }}">{{ label }} for {{ customer }}</i>',
    })
    const add = (id: string, priority: number, order?: number) =>
      hooks.addFilter(
        `ui.slot.${slot}`,
        (items) => [...items, { id, html: `<b data-slot-item="${id}"></b>`, order }],
        { plugin: 'kernel', priority }
      )
    add('a', 10, 50)
    add('b-no-order', 20)
    add('c', 5, 50)
    add('d', 30, 1)
    hooks.addFilter(
      `ui.slot.${slot}`,
      (items) => [...items, { id: 'view', view: `tests/${slot}`, data: { itemId: 'view', label: 'From a view' }, order: 60 }],
      { plugin: 'kernel' }
    )

    const html = await t.run(() => edge.renderRaw(`{{{ await uiSlot('${slot}', { customer: 'ACME' }) }}}`))
    assert.deepEqual(slotItemIds(html), ['d', 'c', 'a', 'view', 'b-no-order'])
    assert.include(html, 'From a view for ACME')
  })

  test('an unknown slot renders nothing', async ({ assert }) => {
    const t = await makeTenant()
    const html = await t.run(() => edge.renderRaw(`[{{{ await uiSlot('nobody.taps.this') }}}]`))
    assert.equal(html, '[]')
  })

  test('a plugin fills another plugin slot once enabled, ordered by item order', async ({ client, assert }) => {
    const t = await makeTenant()
    const before = await client.get('/app/sample').header('host', t.host).loginAs(t.owner)
    before.assertStatus(200)
    assert.deepEqual(slotItemIds(aside(before.text())), ['sample.count'])

    await enablePlugin(t, 'sample_addon')
    const after = await client.get('/app/sample').header('host', t.host).loginAs(t.owner)
    assert.deepEqual(slotItemIds(aside(after.text())), ['sample_addon.tip', 'sample.count'])

    await disablePlugin(t, 'sample_addon')
    const again = await client.get('/app/sample').header('host', t.host).loginAs(t.owner)
    assert.deepEqual(slotItemIds(aside(again.text())), ['sample.count'])
  })

  test('slot views render with the page state: its language and the data passed in', async ({ client, assert }) => {
    const t = await makeTenant()
    await t.run(async () => {
      await Note.create({ body: 'one' })
      await Note.create({ body: 'two' })
    })
    await enablePlugin(t, 'sample_addon')
    const de = await client.get('/app/sample?lang=de').header('host', t.host).loginAs(t.owner)
    de.assertStatus(200)
    assert.include(aside(de.text()), i18nManager.locale('de').t('sample.slot_count', { count: 2 }))
    assert.include(aside(de.text()), '2 Notizen auf dieser Seite')
    assert.include(aside(de.text()), 'Tipp vom Zusatzmodul')
    const en = await client.get('/app/sample?lang=en').header('host', t.host).loginAs(t.owner)
    assert.include(aside(en.text()), '2 notes on this page')
    assert.include(aside(en.text()), 'Tip from the add-on')
  })
})
