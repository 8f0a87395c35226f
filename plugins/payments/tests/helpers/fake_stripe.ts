/*
| A fake Stripe API for the payments tests: a loopback HTTP server speaking Stripe's wire format
| (bearer secret key, form-encoded bodies, JSON objects shaped like Stripe's, `Idempotency-Key`
| replay), with fault injection ("commit, then destroy the socket") and a hosted checkout page
| whose Pay button completes the session, sends the signed webhooks to the app on the tenant's
| host, and redirects to success_url. stripe-node is pointed at it through STRIPE_API_BASE.
*/
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { randomBytes } from 'node:crypto'
import env from '#start/env'
import { stripeWebhooks } from '#plugins/payments/services/stripe_client'

type Obj = Record<string, any>

export interface FakeAccount {
  secretKey: string
  webhookSecret: string
  /** the tenant host the app answers on (the webhook is sent with this Host header) */
  appHost: string
  id: string
  name: string
  objects: Map<string, Obj>
  idempotency: Map<string, { status: number; body: string }>
  events: Obj[]
}

export type CardBehaviour = 'succeed' | 'authentication_required' | 'card_declined'
export interface CardOptions {
  brand?: string
  last4?: string
  expMonth?: number
  expYear?: number
  behaviour?: CardBehaviour
}

export interface RequestLog {
  method: string
  path: string
  idempotencyKey: string | null
  replayed: boolean
  dropped: boolean
}

/** Stripe's form encoding: `a[b][0][c]=v` → { a: { b: { 0: { c: v } } } } */
function parseForm(text: string): Obj {
  const out: Obj = {}
  for (const [key, value] of new URLSearchParams(text)) {
    const path = key.replace(/\]/g, '').split('[')
    let node = out
    path.forEach((part, i) => {
      if (i === path.length - 1) node[part] = value
      else node = node[part] ??= {}
    })
  }
  return out
}

const list = (v: unknown): any[] => (v === undefined || v === null ? [] : typeof v === 'object' ? Object.values(v as Obj) : [v])

const id = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`
const now = () => Math.floor(Date.now() / 1000)

/** Stripe's fee model for the fake: 1.5 % + 25 minor units */
export const fakeFee = (amount: number) => Math.round(amount * 0.015) + 25

export class FakeStripe {
  server!: Server
  url = ''
  accounts = new Map<string, FakeAccount>()
  log: RequestLog[] = []
  /** where the app listens (the hosted checkout posts webhooks there) */
  appPort = Number(process.env.PORT)
  #drop = 0
  #previousBase: string | undefined
  #sockets = new Set<import('node:net').Socket>()

  async start() {
    this.server = createServer((req, res) => this.#handle(req, res).catch((error) => this.#json(res, 500, { error: { type: 'api_error', message: String(error) } })))
    this.server.on('connection', (s) => {
      this.#sockets.add(s)
      s.on('close', () => this.#sockets.delete(s))
    })
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve))
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`
    this.#previousBase = env.get('STRIPE_API_BASE')
    env.set('STRIPE_API_BASE', this.url)
    return this
  }

  async close() {
    if (this.#previousBase) env.set('STRIPE_API_BASE', this.#previousBase)
    for (const s of this.#sockets) s.destroy()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }

  /** A Stripe account for a tenant: its secret key, webhook secret and the host the app serves it on */
  addAccount(appHost: string, name = 'Fake Co') {
    const account: FakeAccount = {
      secretKey: `sk_test_${randomBytes(16).toString('hex')}`,
      webhookSecret: `whsec_${randomBytes(16).toString('hex')}`,
      appHost,
      id: id('acct'),
      name,
      objects: new Map(),
      idempotency: new Map(),
      events: [],
    }
    this.accounts.set(account.secretKey, account)
    return account
  }

  /** The next `count` mutating requests are committed, then the connection is destroyed unanswered */
  dropNextResponses(count = 1) {
    this.#drop = count
  }

  objectsOf(account: FakeAccount, object: string) {
    return [...account.objects.values()].filter((o) => o.object === object)
  }

  /** Builds an event as Stripe would send it (not delivered) */
  event(account: FakeAccount, type: string, object: Obj, overrides: Obj = {}): Obj {
    const evt = {
      id: id('evt'),
      object: 'event',
      api_version: '2025-01-27.acacia',
      created: now(),
      data: { object },
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type,
      ...overrides,
    }
    account.events.push(evt)
    return evt
  }

  /** Signs a payload like Stripe does (t=..., v1=...) */
  sign(payload: string, secret: string, timestamp = now()) {
    return stripeWebhooks.generateTestHeaderString({ payload, secret, timestamp })
  }

  /** Delivers an event to the app's /webhooks/stripe on the account's tenant host */
  async deliver(account: FakeAccount, evt: Obj, options: { secret?: string; host?: string; timestamp?: number; body?: string } = {}) {
    const body = options.body ?? JSON.stringify(evt, null, 2)
    const signature = this.sign(body, options.secret ?? account.webhookSecret, options.timestamp)
    return new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port: this.appPort,
          path: '/webhooks/stripe',
          method: 'POST',
          headers: {
            'host': options.host ?? account.appHost,
            'content-type': 'application/json; charset=utf-8',
            'content-length': Buffer.byteLength(body),
            'stripe-signature': signature,
            'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
          },
        },
        (res) => {
          let text = ''
          res.on('data', (c) => (text += c))
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }))
        }
      )
      req.on('error', reject)
      req.end(body)
    })
  }

  /** What the Pay button does: pays the session, sends the webhooks, returns where the browser goes */
  async completeCheckout(sessionId: string, options: { deliver?: boolean } = {}) {
    const account = [...this.accounts.values()].find((a) => a.objects.has(sessionId))
    if (!account) throw new Error(`unknown checkout session ${sessionId}`)
    const session = account.objects.get(sessionId)!
    if (session.mode === 'setup') return this.#completeSetup(account, session, options)
    if (session.status === 'open') {
      const pi = this.#createPaymentIntent(account, {
        amount: session.amount_total,
        currency: session.currency,
        metadata: { ...session.metadata, ...(session.payment_intent_data?.metadata ?? {}) },
      })
      this.#succeed(account, pi)
      Object.assign(session, { status: 'complete', payment_status: 'paid', payment_intent: pi.id })
    }
    if (options.deliver !== false) {
      const pi = account.objects.get(session.payment_intent)!
      await this.deliver(account, this.event(account, 'checkout.session.completed', { ...session }))
      await this.deliver(account, this.event(account, 'payment_intent.succeeded', { ...pi }))
    }
    return session.success_url.replace('{CHECKOUT_SESSION_ID}', session.id) as string
  }

  #createPaymentIntent(account: FakeAccount, params: Obj) {
    const pi: Obj = {
      id: id('pi'),
      object: 'payment_intent',
      amount: Number(params.amount),
      amount_received: 0,
      currency: String(params.currency).toLowerCase(),
      created: now(),
      customer: params.customer ?? null,
      latest_charge: null,
      livemode: false,
      metadata: params.metadata ?? {},
      payment_method_types: ['card'],
      status: 'requires_payment_method',
      last_payment_error: null,
    }
    account.objects.set(pi.id, pi)
    return pi
  }

  #succeed(account: FakeAccount, pi: Obj) {
    const fee = fakeFee(pi.amount)
    const txn = { id: id('txn'), object: 'balance_transaction', amount: pi.amount, currency: pi.currency, fee, net: pi.amount - fee, status: 'pending', type: 'charge' }
    const charge = {
      id: id('ch'),
      object: 'charge',
      amount: pi.amount,
      amount_captured: pi.amount,
      amount_refunded: 0,
      balance_transaction: txn.id,
      captured: true,
      created: now(),
      currency: pi.currency,
      disputed: false,
      livemode: false,
      metadata: pi.metadata,
      paid: true,
      payment_intent: pi.id,
      refunded: false,
      status: 'succeeded',
    }
    account.objects.set(txn.id, txn)
    account.objects.set(charge.id, charge)
    Object.assign(pi, { status: 'succeeded', amount_received: pi.amount, latest_charge: charge.id })
  }

  #expand(account: FakeAccount, obj: Obj, paths: string[]) {
    const out = structuredClone(obj)
    for (const path of paths) {
      let targets: Obj[] = [out]
      for (const part of path.split('.')) {
        const next: Obj[] = []
        for (const t of targets) {
          const ref = t?.[part]
          if (typeof ref === 'string' && account.objects.has(ref)) t[part] = structuredClone(account.objects.get(ref)!)
          if (t?.[part] && typeof t[part] === 'object') next.push(t[part])
        }
        targets = next
      }
    }
    return out
  }

  async #handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', this.url)
    let raw = ''
    for await (const chunk of req) raw += chunk
    if (url.pathname.startsWith('/checkout/')) return this.#hosted(req, res, url)
    if (url.pathname.startsWith('/authenticate/')) return this.#authenticatePage(req, res, url)

    const account = this.accounts.get((req.headers.authorization ?? '').replace(/^Bearer /, ''))
    if (!account) {
      return this.#json(res, 401, { error: { type: 'invalid_request_error', message: 'Invalid API Key provided' } })
    }
    const params: Obj = parseForm(req.method === 'GET' ? url.search.slice(1) : raw)
    const key = (req.headers['idempotency-key'] as string | undefined) ?? null
    const entry: RequestLog = { method: req.method!, path: url.pathname, idempotencyKey: key, replayed: false, dropped: false }
    this.log.push(entry)

    let status: number
    let text: string
    if (req.method === 'POST' && key && account.idempotency.has(key)) {
      entry.replayed = true
      ;({ status, body: text } = account.idempotency.get(key)!)
      res.setHeader('idempotent-replayed', 'true')
    } else {
      const [code, body] = this.#route(account, req.method!, url.pathname, params)
      status = code
      text = JSON.stringify(body, null, 2)
      if (req.method === 'POST' && key) account.idempotency.set(key, { status, body: text })
    }
    /* the work is committed (and its replay stored); only the answer is lost */
    if (req.method === 'POST' && this.#drop > 0) {
      this.#drop--
      entry.dropped = true
      req.socket.destroy()
      return
    }
    return this.#send(res, status, text)
  }

  #route(account: FakeAccount, method: string, path: string, params: Obj): [number, Obj] {
    const notFound = (what: string): [number, Obj] => [404, { error: { type: 'invalid_request_error', code: 'resource_missing', message: `No such ${what}` } }]
    const get = (oid: string, type: string) => {
      const o = account.objects.get(oid)
      return o && o.object === type ? o : null
    }
    const expand: string[] = list(params.expand)
    let m: RegExpMatchArray | null

    if (method === 'GET' && path === '/v1/account') {
      return [200, { id: account.id, object: 'account', business_profile: { name: account.name }, settings: { dashboard: { display_name: account.name } }, charges_enabled: true, country: 'DE', default_currency: 'eur' }]
    }
    if (method === 'POST' && path === '/v1/checkout/sessions') {
      const items: Obj[] = Object.values(params.line_items ?? {})
      if ((!items.length && params.mode !== 'setup') || !params.success_url) return [400, { error: { type: 'invalid_request_error', message: 'Missing required param: line_items or success_url.' } }]
      const amount = items.reduce((sum, i) => sum + Number(i.price_data?.unit_amount ?? 0) * Number(i.quantity ?? 1), 0)
      const session: Obj = {
        id: id('cs_test'),
        object: 'checkout.session',
        amount_subtotal: amount,
        amount_total: amount,
        cancel_url: params.cancel_url ?? null,
        client_reference_id: params.client_reference_id ?? null,
        created: now(),
        currency: String(items[0]?.price_data?.currency ?? params.currency ?? 'eur').toLowerCase(),
        customer: params.customer ?? null,
        customer_email: params.customer_email ?? null,
        setup_intent: null,
        expires_at: now() + 86400,
        livemode: false,
        metadata: params.metadata ?? {},
        mode: params.mode ?? 'payment',
        payment_intent: null,
        payment_intent_data: params.payment_intent_data ?? null,
        payment_status: 'unpaid',
        status: 'open',
        success_url: params.success_url,
        url: '',
      }
      session.url = `${this.url}/checkout/${session.id}`
      account.objects.set(session.id, session)
      const { payment_intent_data: _internal, ...visible } = session
      return [200, visible]
    }
    if (method === 'GET' && (m = path.match(/^\/v1\/checkout\/sessions\/([^/]+)$/))) {
      const s = get(m[1], 'checkout.session')
      if (!s) return notFound(`checkout.session: '${m[1]}'`)
      const { payment_intent_data: _internal, ...visible } = s
      return [200, this.#expand(account, visible, expand)]
    }
    if (method === 'POST' && path === '/v1/payment_intents') {
      const pi = this.#createPaymentIntent(account, params)
      return params.confirm === 'true' ? this.#confirmWithMethod(account, pi, params.payment_method) : [200, pi]
    }
    if ((m = path.match(/^\/v1\/payment_intents\/([^/]+)(\/confirm)?$/))) {
      const pi = get(m[1], 'payment_intent')
      if (!pi) return notFound(`payment_intent: '${m[1]}'`)
      if (method === 'POST' && m[2]) this.#succeed(account, pi)
      return [200, this.#expand(account, pi, expand)]
    }
    if (method === 'GET' && (m = path.match(/^\/v1\/charges\/([^/]+)$/))) {
      const ch = get(m[1], 'charge')
      return ch ? [200, this.#expand(account, ch, expand)] : notFound(`charge: '${m[1]}'`)
    }
    if (method === 'GET' && (m = path.match(/^\/v1\/balance_transactions\/([^/]+)$/))) {
      const t = get(m[1], 'balance_transaction')
      return t ? [200, t] : notFound(`balance_transaction: '${m[1]}'`)
    }
    if (method === 'POST' && path === '/v1/refunds') {
      const pi = params.payment_intent ? get(params.payment_intent, 'payment_intent') : null
      const charge = get(params.charge ?? pi?.latest_charge ?? '', 'charge')
      if (!charge) return notFound('charge')
      const amount = params.amount ? Number(params.amount) : charge.amount - charge.amount_refunded
      if (amount <= 0 || amount > charge.amount - charge.amount_refunded) {
        return [400, { error: { type: 'invalid_request_error', code: 'amount_too_large', message: `Refund amount (${amount}) is greater than unrefunded amount on charge` } }]
      }
      const refund = { id: id('re'), object: 'refund', amount, charge: charge.id, created: now(), currency: charge.currency, metadata: params.metadata ?? {}, payment_intent: charge.payment_intent, reason: params.reason ?? null, status: 'succeeded' }
      account.objects.set(refund.id, refund)
      charge.amount_refunded += amount
      charge.refunded = charge.amount_refunded === charge.amount
      return [200, refund]
    }
    if (method === 'GET' && (m = path.match(/^\/v1\/refunds\/([^/]+)$/))) {
      const r = get(m[1], 'refund')
      return r ? [200, r] : notFound(`refund: '${m[1]}'`)
    }
    if (method === 'GET' && path === '/v1/refunds') {
      const data = this.objectsOf(account, 'refund').filter((r) => !params.charge || r.charge === params.charge)
      return [200, { object: 'list', data, has_more: false, url: '/v1/refunds' }]
    }
    if (method === 'POST' && path === '/v1/customers') {
      const c = { id: id('cus'), object: 'customer', created: now(), email: params.email ?? null, name: params.name ?? null, metadata: params.metadata ?? {}, livemode: false }
      account.objects.set(c.id, c)
      return [200, c]
    }
    if (method === 'GET' && (m = path.match(/^\/v1\/customers\/([^/]+)$/))) {
      const c = get(m[1], 'customer')
      return c ? [200, c] : notFound(`customer: '${m[1]}'`)
    }
    const billing = this.#billingRoute(account, method, path, params, expand)
    if (billing) return billing
    return [404, { error: { type: 'invalid_request_error', message: `Unrecognized request URL (${method}: ${path}).` } }]
  }

  async #hosted(req: IncomingMessage, res: ServerResponse, url: URL) {
    const m = url.pathname.match(/^\/checkout\/([^/]+)(\/pay)?$/)
    const account = m ? [...this.accounts.values()].find((a) => a.objects.has(m[1])) : undefined
    if (!m || !account) return this.#send(res, 404, 'Not found', 'text/plain')
    const session = account.objects.get(m[1])!
    if (req.method === 'POST' && m[2]) {
      const location = await this.completeCheckout(session.id)
      res.writeHead(303, { location })
      return res.end()
    }
    const amount = (session.amount_total / 100).toFixed(2)
    const html = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Fake Stripe Checkout</title></head>
<body><main><h1>${account.name}</h1><p data-testid="checkout-amount">${amount} ${session.currency.toUpperCase()}</p>
<form method="POST" action="/checkout/${session.id}/pay"><button type="submit">Pay</button></form></main></body></html>`
    return this.#send(res, 200, html, 'text/html; charset=utf-8')
  }

  /* ---- Billing: saved cards, setup-mode checkout, off-session confirmation, 3-D Secure page ---- */

  /** How a card behaves when a PaymentIntent is confirmed with it (default: succeeds) */
  cardBehaviours = new Map<string, CardBehaviour>()
  /** The card the next setup-mode checkout saves */
  nextSetupCard: CardOptions = {}

  /** A card payment method attached to a customer, as if the client had saved it */
  addCard(account: FakeAccount, customer: string | null, options: CardOptions = {}) {
    const pm = {
      id: id('pm'),
      object: 'payment_method',
      type: 'card',
      card: { brand: options.brand ?? 'visa', last4: options.last4 ?? '4242', exp_month: options.expMonth ?? 12, exp_year: options.expYear ?? new Date().getUTCFullYear() + 2, funding: 'credit', country: 'DE' },
      billing_details: { email: null, name: null },
      created: now(),
      customer,
      livemode: false,
      metadata: {},
    }
    account.objects.set(pm.id, pm)
    this.cardBehaviours.set(pm.id, options.behaviour ?? 'succeed')
    return pm
  }

  async #completeSetup(account: FakeAccount, session: Obj, options: { deliver?: boolean }) {
    if (session.status === 'open') {
      const pm = this.addCard(account, session.customer, this.nextSetupCard)
      const si = { id: id('seti'), object: 'setup_intent', created: now(), customer: session.customer, livemode: false, metadata: session.metadata ?? {}, payment_method: pm.id, status: 'succeeded', usage: 'off_session' }
      account.objects.set(si.id, si)
      Object.assign(session, { status: 'complete', setup_intent: si.id })
    }
    if (options.deliver !== false) {
      await this.deliver(account, this.event(account, 'checkout.session.completed', { ...session }))
      await this.deliver(account, this.event(account, 'setup_intent.succeeded', { ...account.objects.get(session.setup_intent)! }))
    }
    return session.success_url.replace('{CHECKOUT_SESSION_ID}', session.id) as string
  }

  /* confirm=true on create: off-session charges answer 402 card errors like Stripe */
  #confirmWithMethod(account: FakeAccount, pi: Obj, paymentMethod: string | undefined): [number, Obj] {
    const pm = paymentMethod ? account.objects.get(paymentMethod) : undefined
    if (!pm || pm.object !== 'payment_method') return [400, { error: { type: 'invalid_request_error', code: 'resource_missing', message: `No such PaymentMethod: '${paymentMethod}'` } }]
    pi.payment_method = pm.id
    const behaviour = this.cardBehaviours.get(pm.id) ?? 'succeed'
    if (behaviour === 'succeed') {
      this.#succeed(account, pi)
      return [200, pi]
    }
    if (behaviour === 'authentication_required') {
      const error = { code: 'authentication_required', decline_code: 'authentication_required', message: 'Your card was declined. This transaction requires authentication.', type: 'card_error' }
      Object.assign(pi, { status: 'requires_action', last_payment_error: error, next_action: { type: 'redirect_to_url', redirect_to_url: { url: `${this.url}/authenticate/${pi.id}`, return_url: null } } })
      return [402, { error: { ...error, payment_intent: pi, payment_method: pm } }]
    }
    const error = { code: 'card_declined', decline_code: 'insufficient_funds', message: 'Your card has insufficient funds.', type: 'card_error' }
    Object.assign(pi, { status: 'requires_payment_method', last_payment_error: error })
    return [402, { error: { ...error, payment_intent: pi, payment_method: pm } }]
  }

  #billingRoute(account: FakeAccount, method: string, path: string, params: Obj, expand: string[]): [number, Obj] | null {
    const notFound = (what: string): [number, Obj] => [404, { error: { type: 'invalid_request_error', code: 'resource_missing', message: `No such ${what}` } }]
    let m: RegExpMatchArray | null
    if (method === 'GET' && (m = path.match(/^\/v1\/setup_intents\/([^/]+)$/))) {
      const si = account.objects.get(m[1])
      return si?.object === 'setup_intent' ? [200, this.#expand(account, si, expand)] : notFound(`setup_intent: '${m[1]}'`)
    }
    if (method === 'GET' && path === '/v1/payment_methods') {
      const data = this.objectsOf(account, 'payment_method').filter((p) => p.customer && p.customer === params.customer)
      return [200, { object: 'list', data, has_more: false, url: '/v1/payment_methods' }]
    }
    if ((m = path.match(/^\/v1\/payment_methods\/([^/]+)(\/detach|\/attach)?$/))) {
      const pm = account.objects.get(m[1])
      if (pm?.object !== 'payment_method') return notFound(`payment_method: '${m[1]}'`)
      if (method === 'POST' && m[2] === '/detach') {
        if (!pm.customer) return [400, { error: { type: 'invalid_request_error', message: 'The payment method you provided is not attached to a customer so detachment is impossible.' } }]
        pm.customer = null
      }
      if (method === 'POST' && m[2] === '/attach') pm.customer = params.customer
      return [200, pm]
    }
    return null
  }

  /* What the client's bank shows for 3-D Secure: confirming succeeds the PaymentIntent and sends the webhook */
  async #authenticatePage(req: IncomingMessage, res: ServerResponse, url: URL) {
    const m = url.pathname.match(/^\/authenticate\/([^/]+)(\/confirm)?$/)
    const account = m ? [...this.accounts.values()].find((a) => a.objects.get(m[1])?.object === 'payment_intent') : undefined
    if (!m || !account) return this.#send(res, 404, 'Not found', 'text/plain')
    const pi = account.objects.get(m[1])!
    if (req.method === 'POST' && m[2]) {
      await this.authenticate(pi.id)
      return this.#send(res, 200, '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Authenticated</title></head><body><main><h1>Payment authenticated</h1></main></body></html>', 'text/html; charset=utf-8')
    }
    const amount = (pi.amount / 100).toFixed(2)
    const html = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>3-D Secure</title></head>
<body><main><h1>Authenticate payment</h1><p data-testid="authenticate-amount">${amount} ${pi.currency.toUpperCase()}</p>
<form method="POST" action="/authenticate/${pi.id}/confirm"><button type="submit">Complete authentication</button></form></main></body></html>`
    return this.#send(res, 200, html, 'text/html; charset=utf-8')
  }

  /** The client passes 3-D Secure: the PaymentIntent succeeds and payment_intent.succeeded is delivered */
  async authenticate(paymentIntentId: string, options: { deliver?: boolean } = {}) {
    const account = [...this.accounts.values()].find((a) => a.objects.get(paymentIntentId)?.object === 'payment_intent')
    if (!account) throw new Error(`unknown payment intent ${paymentIntentId}`)
    const pi = account.objects.get(paymentIntentId)!
    if (pi.status === 'requires_action') {
      this.#succeed(account, pi)
      Object.assign(pi, { next_action: null, last_payment_error: null })
    }
    if (options.deliver !== false) await this.deliver(account, this.event(account, 'payment_intent.succeeded', { ...pi }))
    return pi
  }

  #json(res: ServerResponse, status: number, body: Obj) {
    return this.#send(res, status, JSON.stringify(body))
  }

  #send(res: ServerResponse, status: number, body: string, type = 'application/json') {
    if (res.headersSent) return
    res.writeHead(status, { 'content-type': type, 'request-id': id('req'), 'stripe-version': '2025-01-27.acacia' })
    res.end(body)
  }
}

export async function startFakeStripe() {
  return new FakeStripe().start()
}
