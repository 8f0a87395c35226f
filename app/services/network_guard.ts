/*
| Outbound HTTP to addresses users chose (webhook endpoints): refuses loopback, private,
| link-local and other non-public targets, both when the URL is saved and when the request
| connects. The connection goes to the very address that was checked, so a DNS answer that
| changes between check and connect (rebinding) cannot reach an internal service.
*/
import { BlockList, isIP } from 'node:net'
import { lookup as dnsLookup } from 'node:dns/promises'
import http from 'node:http'
import https from 'node:https'
import type { LookupFunction } from 'node:net'
import { DomainError } from '#exceptions/domain_errors'

const blocked = new BlockList()
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  blocked.addSubnet(network, prefix, 'ipv4')
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['100::', 64],
  ['2001::', 23],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const) {
  blocked.addSubnet(network, prefix, 'ipv6')
}

export class BlockedAddressError extends DomainError {
  constructor(
    public host: string,
    public address: string
  ) {
    super(`${host} resolves to ${address}, a private or loopback address`, {
      code: 'E_ADDRESS_BLOCKED',
      status: 422,
      messageKey: 'webhooks.address_blocked',
    })
  }
}

export class UnresolvableHostError extends DomainError {
  constructor(public host: string) {
    super(`${host} does not resolve`, { code: 'E_HOST_UNRESOLVABLE', status: 422, messageKey: 'webhooks.host_unresolvable' })
  }
}

/** IPv4 carried inside an IPv6 address (mapped ::ffff:a.b.c.d, NAT64 64:ff9b::/96) */
function embeddedIpv4(address: string): string | null {
  const lower = address.toLowerCase()
  const dotted = lower.match(/^(?:::ffff:|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/)
  if (dotted) return dotted[1]
  const hex = lower.match(/^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/)
  if (hex) {
    const hi = Number.parseInt(hex[1], 16)
    const lo = Number.parseInt(hex[2], 16)
    return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`
  }
  return null
}

/** True for any address that is not a public unicast address */
export function isBlockedAddress(address: string): boolean {
  const family = isIP(address)
  if (family === 4) return blocked.check(address, 'ipv4')
  if (family === 6) {
    const v4 = embeddedIpv4(address)
    if (v4) return blocked.check(v4, 'ipv4')
    return blocked.check(address, 'ipv6')
  }
  return true
}

function bareHost(hostname: string) {
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname
}

/** Resolves a URL's host and refuses it when any of its addresses is not public */
export async function assertPublicHost(url: URL, allowPrivate: boolean) {
  const host = bareHost(url.hostname)
  const addresses = isIP(host) ? [host] : await resolveAll(host)
  if (allowPrivate) return addresses
  for (const address of addresses) {
    if (isBlockedAddress(address)) throw new BlockedAddressError(host, address)
  }
  return addresses
}

async function resolveAll(host: string) {
  try {
    const found = await dnsLookup(host, { all: true, verbatim: true })
    if (!found.length) throw new UnresolvableHostError(host)
    return found.map((entry) => entry.address)
  } catch (error) {
    if (error instanceof UnresolvableHostError) throw error
    throw new UnresolvableHostError(host)
  }
}

/** A DNS lookup for http.request that only ever hands back checked addresses */
function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    resolveAll(hostname)
      .then((addresses) => {
        const usable = allowPrivate ? addresses : addresses.filter((a) => !isBlockedAddress(a))
        if (!usable.length) {
          callback(new BlockedAddressError(hostname, addresses[0]), '', 4)
          return
        }
        const address = usable[0]
        if ((options as { all?: boolean }).all) {
          ;(callback as any)(null, usable.map((a) => ({ address: a, family: isIP(a) })))
        } else {
          callback(null, address, isIP(address))
        }
      })
      .catch((error) => callback(error, '', 4))
  }
}

/*
| Keep-alive sockets are reused only for the same host and port; each was opened to an address
| that passed the guard, so reuse cannot reach anything the guard would refuse. Sockets opened
| while private addresses were allowed live in their own pool and are never reused without.
*/
const agents = new Map<string, http.Agent>()
function agentFor(protocol: string, allowPrivate: boolean) {
  const key = `${protocol}${allowPrivate}`
  let agent = agents.get(key)
  if (!agent) {
    const options = { keepAlive: true, maxSockets: 50, timeout: 60_000 }
    agent = protocol === 'https:' ? new https.Agent(options) : new http.Agent(options)
    agents.set(key, agent)
  }
  return agent
}

export interface GuardedResponse {
  status: number
  body: string
  durationMs: number
}

export interface GuardedRequest {
  url: string
  method: 'POST'
  headers: Record<string, string>
  body: string
  timeoutMs: number
  allowPrivate: boolean
  /** bytes of the response body kept */
  keepBytes: number
}

/**
 * Sends one request without following redirects. Resolves with the response (any status) or
 * rejects on a network error, a timeout or a refused address.
 */
export async function guardedRequest(input: GuardedRequest): Promise<GuardedResponse> {
  const url = new URL(input.url)
  const host = bareHost(url.hostname)
  /* An IP literal never goes through lookup(), so it is checked here */
  if (isIP(host) && !input.allowPrivate && isBlockedAddress(host)) throw new BlockedAddressError(host, host)
  const client = url.protocol === 'https:' ? https : http
  const started = performance.now()
  return new Promise((resolve, reject) => {
    const request = client.request(
      url,
      {
        method: input.method,
        headers: { ...input.headers, 'content-length': String(Buffer.byteLength(input.body)) },
        lookup: guardedLookup(input.allowPrivate),
        timeout: input.timeoutMs,
        agent: agentFor(url.protocol, input.allowPrivate),
      },
      (response) => {
        const chunks: Buffer[] = []
        let kept = 0
        response.on('data', (chunk: Buffer) => {
          if (kept < input.keepBytes) {
            chunks.push(chunk.subarray(0, input.keepBytes - kept))
            kept += Math.min(chunk.length, input.keepBytes - kept)
          }
        })
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            durationMs: Math.round(performance.now() - started),
          })
        )
        response.on('error', reject)
      }
    )
    request.on('timeout', () => request.destroy(new Error(`timed out after ${input.timeoutMs} ms`)))
    request.on('error', (error) => reject(Object.assign(error, { durationMs: Math.round(performance.now() - started) })))
    request.end(input.body)
  })
}
