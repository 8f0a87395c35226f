/*
| Team administration inside a tenant: listing members, changing roles, deactivating and
| reactivating. The tenant always keeps at least one active owner.
*/
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import User from '#models/user'
import Role from '#models/role'
import { audit } from '#services/audit_service'
import { orderedRoles } from '#services/role_service'
import { ConflictError, NotFoundError } from '#exceptions/domain_errors'

export type Member = User & { $roleKey?: string }

export class LastOwnerError extends ConflictError {
  constructor() {
    super('The last active owner cannot be demoted or deactivated', 'E_LAST_OWNER')
    this.messageKey = 'settings.users_last_owner'
  }
}

function keyed(user: User): Member {
  ;(user as Member).$roleKey = user.role?.key
  return user as Member
}

export async function listMembers(): Promise<Member[]> {
  const users = await User.query().preload('role').orderBy('email', 'asc')
  return users.map(keyed)
}

/** A member of the current tenant; another tenant's id answers 404 */
export async function findMember(id: number): Promise<Member> {
  const user = await User.query().where('id', id).preload('role').first()
  if (!user) throw new NotFoundError()
  return keyed(user)
}

/** A role of the current tenant; another tenant's id answers 404 */
export async function findRole(id: number) {
  const role = await Role.query().where('id', id).first()
  if (!role) throw new NotFoundError()
  return role
}

/** Roles an actor may hand out: only owners make owners */
export async function assignableRoles(actorRoleKey: string | undefined) {
  const roles = await orderedRoles()
  return roles.filter((r) => r.key !== 'owner' || actorRoleKey === 'owner')
}

/*
| Locks the active owners (PostgreSQL) before counting, so two owners demoting each other at
| the same moment cannot both succeed. SQLite serialises write transactions on its own.
*/
async function assertKeepsAnOwner(target: User, trx: TransactionClientContract) {
  const ownerRole = await Role.query({ client: trx }).where('key', 'owner').first()
  if (!ownerRole) return
  const query = User.query({ client: trx }).where('role_id', ownerRole.id).where('status', 'active')
  if (trx.dialect.name === 'postgres') query.forUpdate()
  const owners = await query
  if (!owners.some((o) => o.id === target.id)) return
  if (owners.every((o) => o.id === target.id)) throw new LastOwnerError()
}

export async function changeRole(target: Member, role: Role) {
  const previous = target.$roleKey ?? (await findRole(target.roleId)).key
  if (target.roleId === role.id) return false
  await db.transaction(async (trx) => {
    if (previous === 'owner') await assertKeepsAnOwner(target, trx)
    target.useTransaction(trx)
    target.roleId = role.id
    await target.save()
  })
  target.$roleKey = role.key
  await audit({
    action: 'user.role_changed',
    subjectType: 'user',
    subjectId: target.id,
    before: { email: target.email, role: previous },
    after: { email: target.email, role: role.key },
  })
  return true
}

/** Deactivated users cannot sign in, and their open sessions end on their next request */
export async function setActive(target: Member, active: boolean) {
  const before = target.status
  const next: User['status'] = active ? (target.password ? 'active' : 'invited') : 'deactivated'
  if (before === next || (active && before !== 'deactivated')) return false
  await db.transaction(async (trx) => {
    if (!active) await assertKeepsAnOwner(target, trx)
    target.useTransaction(trx)
    target.status = next
    await target.save()
  })
  await audit({
    action: active ? 'user.reactivated' : 'user.deactivated',
    subjectType: 'user',
    subjectId: target.id,
    before: { email: target.email, status: before },
    after: { email: target.email, status: next },
  })
  return true
}

export class OwnershipTransferError extends ConflictError {
  constructor(reason: 'not_owner' | 'invalid_member') {
    super(
      reason === 'not_owner' ? 'Only an active owner can transfer ownership' : 'The new owner must be an active member who is not an owner',
      reason === 'not_owner' ? 'E_NOT_OWNER' : 'E_INVALID_NEW_OWNER'
    )
    this.messageKey = reason === 'not_owner' ? 'security_admin.ownership_owners_only' : 'security_admin.ownership_invalid_member'
  }
}

/** Active members who could take over ownership from `owner` */
export async function ownershipCandidates(owner: User) {
  const members = await listMembers()
  return members.filter((m) => m.id !== owner.id && m.status === 'active' && m.$roleKey !== 'owner')
}

/**
 * Hands the owner role from `from` to `to`, who must be an active non-owner member; `from`
 * becomes an admin. Both rows are changed in one transaction with the owners locked, so the
 * tenant never has zero or an unintended number of owners.
 */
export async function transferOwnership(from: User, to: Member) {
  const roles = await Role.query().whereIn('key', ['owner', 'admin'])
  const ownerRole = roles.find((r) => r.key === 'owner')
  const adminRole = roles.find((r) => r.key === 'admin')
  if (!ownerRole || !adminRole) throw new NotFoundError()
  await db.transaction(async (trx) => {
    const query = User.query({ client: trx }).whereIn('id', [from.id, to.id])
    if (trx.dialect.name === 'postgres') query.forUpdate()
    const rows = await query
    const current = rows.find((u) => u.id === from.id)
    const next = rows.find((u) => u.id === to.id)
    if (!current || current.roleId !== ownerRole.id || current.status !== 'active') throw new OwnershipTransferError('not_owner')
    if (!next || next.id === current.id || next.roleId === ownerRole.id || next.status !== 'active') {
      throw new OwnershipTransferError('invalid_member')
    }
    next.roleId = ownerRole.id
    await next.save()
    current.roleId = adminRole.id
    await current.save()
  })
  const previousRole = to.$roleKey
  from.roleId = adminRole.id
  to.roleId = ownerRole.id
  to.$roleKey = 'owner'
  await audit({
    action: 'tenant.ownership_transferred',
    subjectType: 'user',
    subjectId: to.id,
    actor: { type: 'user', id: from.id, label: from.email },
    before: { owner: from.email, newOwnerRole: previousRole ?? null },
    after: { owner: to.email, previousOwnerRole: 'admin' },
  })
}
