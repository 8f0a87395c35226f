/*
| Live notifications: one Server-Sent Events connection (@adonisjs/transmit protocol) per page
| load, subscribed to the signed-in user's channel named on the bell. New notifications update
| the bell's count, are announced to screen readers and appear at the top of an open list.
| Boosted navigation keeps the connection; the bell is looked up afresh for every message.
*/
(function () {
  if (window.cfNotifications) return
  window.cfNotifications = { connected: false, received: 0 }

  function bell() {
    return document.getElementById('kernel-notifications-bell')
  }

  function setCount(unread) {
    var el = bell()
    if (!el) return
    var badge = el.querySelector('.notification-count')
    badge.textContent = unread > 99 ? '99+' : String(unread)
    badge.hidden = unread === 0
    var label = unread ? el.dataset.labelSome.replace('{count}', unread) : el.dataset.labelNone
    el.setAttribute('aria-label', label)
    el.setAttribute('title', label)
  }

  function prepend(payload) {
    var list = document.querySelector('#kernel-notifications-list .notification-list')
    if (!list) return
    var item = document.createElement('li')
    item.className = 'notification-item unread'
    item.dataset.notificationId = payload.id
    var text = document.createElement('div')
    text.className = 'notification-text'
    var link = document.createElement('a')
    link.className = 'notification-title'
    link.href = '/app/notifications/' + payload.id
    link.textContent = payload.title
    text.appendChild(link)
    if (payload.body) {
      var body = document.createElement('p')
      body.className = 'notification-body'
      body.textContent = payload.body
      text.appendChild(body)
    }
    item.appendChild(text)
    list.insertBefore(item, list.firstChild)
    var empty = document.querySelector('#kernel-notifications-list .notification-empty')
    if (empty) empty.remove()
  }

  function announce(text) {
    var live = document.getElementById('kernel-notifications-live')
    if (live) live.textContent = text
  }

  function onMessage(event) {
    var message
    try {
      message = JSON.parse(event.data)
    } catch (e) {
      return
    }
    var el = bell()
    if (!el || message.channel !== el.dataset.channel) return
    var payload = message.payload || {}
    if (typeof payload.unread === 'number') setCount(payload.unread)
    if (payload.type === 'notification') {
      window.cfNotifications.received++
      prepend(payload)
      announce(payload.title)
    }
  }

  function subscribe(uid, channel, csrf) {
    return fetch('/__transmit/subscribe', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-TOKEN': csrf },
      body: JSON.stringify({ uid: uid, channel: channel }),
    })
  }

  function connect() {
    var el = bell()
    if (!el || !window.EventSource) return
    var uid = crypto.randomUUID()
    var channel = el.dataset.channel
    var csrf = el.dataset.csrf
    var source = new EventSource('/__transmit/events?uid=' + encodeURIComponent(uid), { withCredentials: true })
    source.addEventListener('message', onMessage)
    /* every (re)connection is a new stream on the server: subscribe again */
    source.addEventListener('open', function () {
      subscribe(uid, channel, csrf).then(function (response) {
        window.cfNotifications.connected = response.ok
      })
    })
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', connect)
  else connect()
})()
