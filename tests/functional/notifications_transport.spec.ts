/*
| The Redis transport that carries SSE broadcasts between processes (used when REDIS_URL is
| set): a broadcast published by one process reaches the others, not itself. Needs the local
| Redis that CI starts.
*/
import { test } from '@japa/runner'
import { randomUUID } from 'node:crypto'
import { redisOptionsFromUrl } from '#config/redis'
import { RedisTransport } from '#services/transmit_redis_transport'
import { waitFor } from '#tests/helpers/jobs'

test.group('Notifications: Redis transport', () => {
  test('a message published by one process reaches the other processes once', async ({ assert }) => {
    const options = redisOptionsFromUrl(process.env.REDIS_URL || 'redis://127.0.0.1:6379')
    const channel = `test-transmit-${randomUUID()}`
    const web1 = new RedisTransport(options).setId('web-1')
    const web2 = new RedisTransport(options).setId('web-2')
    const seen: Array<[string, unknown]> = []
    try {
      await web1.subscribe(channel, (payload) => seen.push(['web-1', payload]))
      await web2.subscribe(channel, (payload) => seen.push(['web-2', payload]))
      await web1.publish(channel, { channel: 'notifications/1/2', payload: { unread: 3 } })
      await waitFor(() => seen.length > 0, 5000, 'the broadcast to arrive')
      await new Promise((resolve) => setTimeout(resolve, 100))
      assert.deepEqual(seen, [['web-2', { channel: 'notifications/1/2', payload: { unread: 3 } }]])
      await web2.unsubscribe(channel)
      await web1.publish(channel, { n: 2 })
      await new Promise((resolve) => setTimeout(resolve, 100))
      assert.lengthOf(seen, 1)
    } finally {
      await web1.disconnect()
      await web2.disconnect()
    }
  })
})
