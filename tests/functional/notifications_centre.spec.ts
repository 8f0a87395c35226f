/*
| The notification centre: notify() on the channels each user keeps on, the bell count, list,
| mark read / all read, preferences, pluggable channels, the private SSE channel, and
| authorization of every route (notifications are personal: no permission, but another user's
| or another tenant's notification answers 404).
*/
import { test } from '@japa/runner'
import { randomUUID } from 'node:crypto'
import type { HttpContext } from '@adonisjs/core/http'
import hooks from '#kernel/hooks'
import mail from '@adonisjs/mail/services/main'
import transmit from '@adonisjs/transmit/services/main'
import Role from '#models/role'
import { inviteUser } from '#services/invitation_service'
import jobs from '#services/jobs'
import webhooksConfig from '#config/webhooks'
import Notification from '#models/notification'
import MailMessage from '#models/mail_message'
import NotificationPreference from '#models/notification_preference'
import { makeTenant, type TestTenant } from '#tests/helpers/tenants'
import { assertProblem, tokenFor } from '#tests/helpers/api'
import { waitFor } from '#tests/helpers/jobs'
import { channelFor, notify, savePreferences, unreadCount, type ChannelDelivery } from '#services/notification_service'
import { createEndpoint, emit } from '#services/webhook_service'

const message = { event: 'kernel.team_member_added', title: 'notifications.team_member_added_title', body: 'notifications.team_member_added_body', params: { email: 'new@example.com' }, url: '/app/settings/users' }

/* A channel a plugin would add (Slack, WhatsApp): inert unless a test switches it on */
const captured: ChannelDelivery[] = []
let captureOn = false
hooks.addFilter(
  'notifications.channels',
  (channels) =>
    captureOn
      ? [...channels, { id: 'test_chat', label: 'Test chat', defaultEnabled: true, deliver: async (d: ChannelDelivery) => void captured.push(d) }]
      : channels,
  { plugin: 'kernel', priority: 200 }
)

async function notifyOwner(t: TestTenant, extra: Partial<typeof message> = {}) {
  await notify({ ...message, ...extra }, { tenantId: t.tenant.id, users: [t.owner] })
  return Notification.forTenant(t.tenant.id).where('user_id', t.owner.id).orderBy('id', 'desc').firstOrFail()
}

test.group('Notifications: delivery and centre', () => {
  test('an in-app notification shows in the bell and the list, rendered in the reader language', async ({ client, assert }) => {
    const t = await makeTenant()
    t.owner.locale = 'de'
    await t.owner.save()
    const notification = await notifyOwner(t)
    assert.equal(notification.event, 'kernel.team_member_added')
    assert.isNull(notification.readAt)

    const page = await client.get('/app').header('host', t.host).loginAs(t.owner)
    page.assertStatus(200)
    page.assertTextIncludes('id="kernel-notifications-bell"')
    page.assertTextIncludes('Benachrichtigungen: 1 ungelesen')
    page.assertTextIncludes(`data-channel="${channelFor(t.tenant.id, t.owner.id)}"`)

    const list = await client.get('/app/notifications').header('host', t.host).loginAs(t.owner)
    list.assertTextIncludes('Neues Teammitglied')
    list.assertTextIncludes('new@example.com wurde dem Team hinzugefügt.')

    const opened = await client.get(`/app/notifications/${notification.id}`).header('host', t.host).loginAs(t.owner).redirects(0)
    assert.equal(opened.header('location'), '/app/settings/users')
    assert.equal(await unreadCount(t.tenant.id, t.owner.id), 0)
  })

  test('mark read (HTMX fragment) and mark all read', async ({ client, assert }) => {
    const t = await makeTenant()
    const first = await notifyOwner(t)
    await notifyOwner(t)
    await notifyOwner(t)
    const fragment = await client
      .post(`/app/notifications/${first.id}/read`)
      .header('host', t.host)
      .header('hx-request', 'true')
      .header('hx-target', 'kernel-notifications-list')
      .loginAs(t.owner)
      .withCsrfToken()
    fragment.assertStatus(200)
    assert.match(fragment.text().trim(), /^<div id="kernel-notifications-list" data-unread="2">/)
    assert.equal(await unreadCount(t.tenant.id, t.owner.id), 2)

    const all = await client.post('/app/notifications/read-all').header('host', t.host).loginAs(t.owner).withCsrfToken().redirects(0)
    all.assertStatus(302)
    assert.equal(await unreadCount(t.tenant.id, t.owner.id), 0)
  })

  test('preferences choose the channels per event; only differences from the defaults are stored', async ({ client, assert }) => {
    const t = await makeTenant()
    /* default for this event: in-app on, email off */
    await notifyOwner(t)
    assert.lengthOf(await MailMessage.forTenant(t.tenant.id), 0)

    const saved = await client
      .post('/app/notifications/preferences')
      .header('host', t.host)
      .loginAs(t.owner)
      .withCsrfToken()
      .form({ 'enabled[]': ['kernel.team_member_added:email', 'kernel.webhook_failed:in_app', 'kernel.webhook_failed:email'] })
      .redirects(0)
    saved.assertStatus(302)
    /* plugins' events were left unticked too, so they are stored as off: look at the kernel's */
    const stored = await NotificationPreference.forTenant(t.tenant.id)
      .where('user_id', t.owner.id)
      .whereLike('event', 'kernel.%')
    assert.sameDeepMembers(
      stored.map((p) => [p.event, p.channel, p.enabled]),
      [
        ['kernel.team_member_added', 'email', true],
        ['kernel.team_member_added', 'in_app', false],
      ]
    )

    const before = await Notification.forTenant(t.tenant.id).count('* as total')
    await notify(message, { tenantId: t.tenant.id, users: [t.owner] })
    const after = await Notification.forTenant(t.tenant.id).count('* as total')
    assert.equal(Number(after[0].$extras.total), Number(before[0].$extras.total))
    const mail = await MailMessage.forTenant(t.tenant.id).firstOrFail()
    assert.deepEqual(mail.to, [t.owner.email])
    assert.equal(mail.subject, 'New team member')
    assert.equal(mail.data.actionUrl, `http://${t.host}:3334/app/settings/users`)

    const page = await client.get('/app/notifications/preferences').header('host', t.host).loginAs(t.owner)
    page.assertTextIncludes('value="kernel.team_member_added:email" id="pref-kernel.team_member_added-email"')
  })

  test('channels are pluggable through the notifications.channels hook', async ({ assert }) => {
    const t = await makeTenant()
    captureOn = true
    try {
      captured.length = 0
      await notifyOwner(t)
      assert.lengthOf(captured, 1)
      assert.equal(captured[0].user.id, t.owner.id)
      assert.equal(captured[0].render(message.title), 'New team member')

      await t.run(() => savePreferences(t.owner, ['kernel.team_member_added:in_app']))
      captured.length = 0
      await notifyOwner(t)
      assert.lengthOf(captured, 0)
    } finally {
      captureOn = false
    }
  })

  test('a webhook that fails for good notifies the webhook managers', async ({ assert }) => {
    const t = await makeTenant()
    webhooksConfig.allowPrivateNetworks = true
    try {
      /* port 9 (discard) is closed on loopback: every attempt is refused */
      await t.run(() => createEndpoint({ url: 'http://127.0.0.1:9/hook', events: ['user.created'] }))
      await emit(t.tenant.id, 'user.created', { id: 1 })
      await waitFor(async () => {
        await jobs.drain()
        return (await Notification.forTenant(t.tenant.id).where('event', 'kernel.webhook_failed').first()) !== null
      }, 15_000, 'the failure notification')
      const note = await Notification.forTenant(t.tenant.id).where('event', 'kernel.webhook_failed').firstOrFail()
      assert.equal(note.userId, t.owner.id)
      assert.equal(note.params.url, 'http://127.0.0.1:9/hook')
      /* this event mails by default too */
      assert.isNotNull(await MailMessage.forTenant(t.tenant.id).where('subject', 'Webhook delivery failed').first())
    } finally {
      webhooksConfig.allowPrivateNetworks = false
    }
  })

  test('inviting a team member notifies the user managers, not the new member', async ({ assert }) => {
    const t = await makeTenant()
    const admin = await t.user('admin')
    const staffRole = await Role.forTenant(t.tenant.id).where('key', 'staff').firstOrFail()
    mail.fake()
    try {
      await t.run(() => inviteUser({ email: 'joiner@example.com', roleId: staffRole.id, invitedBy: t.owner }))
    } finally {
      mail.restore()
    }
    const notes = await Notification.forTenant(t.tenant.id).where('event', 'kernel.team_member_added')
    assert.sameMembers(notes.map((n) => n.userId), [t.owner.id, admin.id])
    assert.isTrue(notes.every((n) => n.params.email === 'joiner@example.com'))
  })
})

test.group('Notifications: real-time channel', () => {
  test('a user may subscribe to their own channel only', async ({ assert }) => {
    const t = await makeTenant()
    const other = await makeTenant()
    const staff = await t.user('staff')
    /* what the subscribe route hands the channel's authorization: the request's user and tenant */
    const contextOf = (user: unknown, tenant: unknown) => ({ auth: { use: () => ({ user }) }, tenant }) as unknown as HttpContext
    const manager = transmit.getManager()
    const mine = channelFor(t.tenant.id, t.owner.id)
    assert.isTrue(await manager.verifyAccess(mine, contextOf(t.owner, t.tenant)))
    assert.isFalse(await manager.verifyAccess(channelFor(t.tenant.id, staff.id), contextOf(t.owner, t.tenant)))
    assert.isFalse(await manager.verifyAccess(channelFor(other.tenant.id, other.owner.id), contextOf(t.owner, t.tenant)))
    /* a session of another tenant on this host does not open this tenant's channels */
    assert.isFalse(await manager.verifyAccess(mine, contextOf(t.owner, other.tenant)))
    assert.isFalse(await manager.verifyAccess(mine, contextOf(null, t.tenant)))
  })

  test('signed out, the event stream and subscribe are refused', async ({ client, assert }) => {
    const t = await makeTenant()
    const stream = await client.get(`/__transmit/events?uid=${randomUUID()}`).header('host', t.host).redirects(0)
    stream.assertStatus(302)
    assert.match(stream.header('location') ?? '', /^\/login/)
    const subscribe = await client
      .post('/__transmit/subscribe')
      .header('host', t.host)
      .withCsrfToken()
      .json({ uid: randomUUID(), channel: channelFor(t.tenant.id, t.owner.id) })
      .redirects(0)
    subscribe.assertStatus(302)
  })
})

const WEB = {
  'GET index': { method: 'get', url: () => '/app/notifications' },
  'GET bell': { method: 'get', url: () => '/app/notifications/bell' },
  'GET preferences': { method: 'get', url: () => '/app/notifications/preferences' },
  'POST preferences': { method: 'post', url: () => '/app/notifications/preferences' },
  'POST read-all': { method: 'post', url: () => '/app/notifications/read-all' },
  'GET show': { method: 'get', url: (id: number) => `/app/notifications/${id}` },
  'POST read': { method: 'post', url: (id: number) => `/app/notifications/${id}/read` },
} as const

test.group('Notifications: authorization', () => {
  test('{$self}: signed out goes to the sign-in page')
    .with(Object.keys(WEB) as Array<keyof typeof WEB>)
    .run(async ({ client, assert }, name) => {
      const t = await makeTenant()
      const note = await notifyOwner(t)
      const url = WEB[name].url(note.id)
      const response = await client[WEB[name].method](url).header('host', t.host).withCsrfToken().redirects(0)
      response.assertStatus(302)
      assert.equal(response.header('location'), `/login?next=${encodeURIComponent(url)}`)
    })

  test('{$self}: another user\'s or another tenant\'s notification answers 404')
    .with(['GET show', 'POST read'] as const)
    .run(async ({ client, assert }, name) => {
      const t = await makeTenant()
      const other = await makeTenant()
      const mine = await notifyOwner(t)
      const theirs = await notifyOwner(other)
      const colleague = await t.user('admin')
      for (const [user, id] of [[colleague, mine.id], [t.owner, theirs.id]] as const) {
        const response = await client[WEB[name].method](WEB[name].url(id)).header('host', t.host).loginAs(user).withCsrfToken().redirects(0)
        response.assertStatus(404)
      }
      assert.equal(await unreadCount(t.tenant.id, t.owner.id), 1)
      assert.equal(await unreadCount(other.tenant.id, other.owner.id), 1)
    })

  test('the API lists the token owner\'s notifications; 401 without a token, 404 for others', async ({ client, assert }) => {
    const t = await makeTenant()
    const other = await makeTenant()
    const mine = await notifyOwner(t)
    const theirs = await notifyOwner(other)
    const token = await tokenFor(t.owner)

    const list = await client.get('/api/v1/notifications').header('host', t.host).bearerToken(token)
    list.assertStatus(200)
    assert.deepEqual(list.body().data.map((n: any) => n.id), [mine.id])
    assert.equal(list.body().data[0].title, 'New team member')
    assert.equal(list.body().unread, 1)

    assertProblem(assert, await client.get('/api/v1/notifications').header('host', t.host), 401, 'E_UNAUTHORIZED')
    assertProblem(assert, await client.post('/api/v1/notifications/read-all').header('host', t.host), 401, 'E_UNAUTHORIZED')
    assertProblem(assert, await client.post(`/api/v1/notifications/${mine.id}/read`).header('host', t.host), 401, 'E_UNAUTHORIZED')
    assertProblem(assert, await client.post(`/api/v1/notifications/${theirs.id}/read`).header('host', t.host).bearerToken(token), 404, 'E_NOT_FOUND')
    const colleagueToken = await tokenFor(await t.user('admin'))
    assertProblem(assert, await client.post(`/api/v1/notifications/${mine.id}/read`).header('host', t.host).bearerToken(colleagueToken), 404, 'E_NOT_FOUND')

    const read = await client.post(`/api/v1/notifications/${mine.id}/read`).header('host', t.host).bearerToken(token)
    read.assertStatus(200)
    assert.isString(read.body().data.read_at)
    ;(await client.post('/api/v1/notifications/read-all').header('host', t.host).bearerToken(token)).assertStatus(204)
  })
})
