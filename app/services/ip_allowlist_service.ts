/*
| Per-tenant IP allowlists: one for the admin UI (staff pages and the sign-in page), one for API
| tokens. An empty list allows every address. Entries are CIDR ranges, IPv4 or IPv6; IPv4
| clients reaching an IPv6 socket (::ffff:a.b.c.d) are matched as IPv4.
*/
import ipaddr from 'ipaddr.js'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import { DomainError } from '#exceptions/domain_errors'
import { audit, dbStamp, type AuditEntry } from '#services/audit_service'

export type AllowlistScope = 'ui' | 'api'
export const SCOPES: AllowlistScope[] = ['ui', 'api']
export const MAX_ENTRIES = 200

export interface AllowlistEntry {
  cidr: string
  label: string | null
}

export type CidrProblem = { line: number; input: string; reason: 'invalid' | 'host_bits'; suggestion?: string }

/** A client address as ipaddr.js sees it, IPv4-mapped IPv6 unwrapped; null when it is no address */
export function parseAddress(ip: string | null | undefined) {
  if (!ip || !ipaddr.isValid(ip)) return null
  return ipaddr.process(ip)
}

/**
 * One range in canonical form (network address / prefix). A bare address is a single-host range.
 * Host bits set (203.0.113.7/24) are refused with the range the user probably meant.
 */
export function normaliseCidr(input: string): { cidr: string } | { reason: 'invalid' | 'host_bits'; suggestion?: string } {
  const text = input.trim()
  let address: ipaddr.IPv4 | ipaddr.IPv6
  let prefix: number
  try {
    if (text.includes('/')) {
      ;[address, prefix] = ipaddr.parseCIDR(text)
    } else {
      address = ipaddr.parse(text)
      prefix = address.kind() === 'ipv4' ? 32 : 128
    }
  } catch {
    return { reason: 'invalid' }
  }
  /* ipaddr.parse also takes loose IPv4 forms (0x0a.1, 10.1): only the dotted-quad form is clear */
  if (address.kind() === 'ipv4' && !ipaddr.IPv4.isValidFourPartDecimal(text.split('/')[0])) return { reason: 'invalid' }
  if (address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress()) {
    address = (address as ipaddr.IPv6).toIPv4Address()
    prefix = Math.max(prefix - 96, 0)
  }
  const network =
    address.kind() === 'ipv4'
      ? ipaddr.IPv4.networkAddressFromCIDR(`${address.toString()}/${prefix}`)
      : ipaddr.IPv6.networkAddressFromCIDR(`${address.toString()}/${prefix}`)
  const cidr = `${network.toString()}/${prefix}`
  if (network.toString() !== address.toString()) return { reason: 'host_bits', suggestion: cidr }
  return { cidr }
}

/**
 * The textarea format: one range per line, optionally followed by a label after `#`.
 * Blank lines are skipped; duplicates are kept once.
 */
export function parseAllowlist(text: string): { entries: AllowlistEntry[]; problems: CidrProblem[] } {
  const entries: AllowlistEntry[] = []
  const problems: CidrProblem[] = []
  const seen = new Set<string>()
  text.split(/\r?\n/).forEach((raw, index) => {
    const [range, ...rest] = raw.split('#')
    if (!range.trim()) return
    const result = normaliseCidr(range)
    if ('reason' in result) {
      problems.push({ line: index + 1, input: range.trim(), ...result })
      return
    }
    if (seen.has(result.cidr)) return
    seen.add(result.cidr)
    const label = rest.join('#').trim().slice(0, 100)
    entries.push({ cidr: result.cidr, label: label || null })
  })
  return { entries, problems }
}

export function formatAllowlist(entries: AllowlistEntry[]) {
  return entries.map((e) => (e.label ? `${e.cidr} # ${e.label}` : e.cidr)).join('\n')
}

export function matches(ip: string | null | undefined, cidrs: string[]) {
  const address = parseAddress(ip)
  if (!address) return false
  return cidrs.some((cidr) => {
    const range = ipaddr.parseCIDR(cidr)
    return range[0].kind() === address.kind() && address.match(range)
  })
}

export async function allowlistOf(tenantId: number, scope: AllowlistScope): Promise<AllowlistEntry[]> {
  const rows = await db
    .from('ip_allowlist_entries')
    .where('tenant_id', tenantId)
    .where('scope', scope)
    .orderBy('id', 'asc')
    .select('cidr', 'label')
  return rows.map((r) => ({ cidr: r.cidr, label: r.label }))
}

/** Whether a client address may use this part of the tenant (an empty list allows everyone) */
export async function isAllowed(tenantId: number, scope: AllowlistScope, ip: string) {
  const cidrs = (await allowlistOf(tenantId, scope)).map((e) => e.cidr)
  return cidrs.length === 0 || matches(ip, cidrs)
}

/** Saving a UI list without the saver's own address would lock them out at once */
export class AllowlistLockoutError extends DomainError {
  constructor(public ip: string) {
    super(`The admin UI allowlist must contain your current address ${ip}`, {
      code: 'E_ALLOWLIST_LOCKOUT',
      status: 422,
      messageKey: 'security_admin.allowlist_lockout',
    })
  }
}

export class AllowlistTooLongError extends DomainError {
  constructor() {
    super(`An allowlist holds at most ${MAX_ENTRIES} ranges`, {
      code: 'E_ALLOWLIST_TOO_LONG',
      status: 422,
      messageKey: 'security_admin.allowlist_too_long',
    })
  }
}

/**
 * Replaces one list. `currentIp` is the address of whoever saves it: a UI list must contain it.
 * Audited with the list before and after.
 */
export async function replaceAllowlist(
  tenantId: number,
  scope: AllowlistScope,
  entries: AllowlistEntry[],
  options: { currentIp?: string; actor?: AuditEntry['actor'] } = {}
) {
  if (entries.length > MAX_ENTRIES) throw new AllowlistTooLongError()
  if (scope === 'ui' && entries.length && options.currentIp !== undefined && !matches(options.currentIp, entries.map((e) => e.cidr))) {
    throw new AllowlistLockoutError(options.currentIp)
  }
  const before = await allowlistOf(tenantId, scope)
  const same = JSON.stringify(before) === JSON.stringify(entries)
  if (same) return false
  await db.transaction(async (trx) => {
    await trx.from('ip_allowlist_entries').where('tenant_id', tenantId).where('scope', scope).delete()
    const stamp = dbStamp(trx, DateTime.now())
    for (const entry of entries) {
      await trx.insertQuery().table('ip_allowlist_entries').insert({ tenant_id: tenantId, scope, cidr: entry.cidr, label: entry.label, created_at: stamp })
    }
  })
  await audit({
    action: `security.${scope}_allowlist_updated`,
    tenantId,
    subjectType: 'tenant',
    subjectId: tenantId,
    actor: options.actor,
    before: { ranges: formatAllowlist(before).split('\n').filter(Boolean) },
    after: { ranges: formatAllowlist(entries).split('\n').filter(Boolean) },
  })
  return true
}
