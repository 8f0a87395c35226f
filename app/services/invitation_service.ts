/*
| Inviting staff into the current tenant: an "invited" user without a password, a one-time
| invite token (7 days) and the invitation mail. Accepting sets the password and activates.
*/
import db from '@adonisjs/lucid/services/db'
import User from '#models/user'
import Role from '#models/role'
import hooks from '#kernel/hooks'
import InvitationMail from '#mails/invitation_mail'
import { DomainError, NotFoundError } from '#exceptions/domain_errors'
import { tenantContext } from '#tenancy/tenant_context'
import { audit } from '#services/audit_service'
import { deliver, tenantUrl } from '#services/mail_service'
import {
  consumeToken,
  issueToken,
  revokeTokens,
  TokenUnusableError,
  usableToken,
} from '#services/user_token_service'

export const INVITE_TTL = { days: 7 }

export interface InviteInput {
  email: string
  fullName?: string | null
  roleId: number
  invitedBy: User
}

export class UserExistsError extends DomainError {
  constructor() {
    super('A user with this email already exists in this tenant', {
      code: 'E_USER_EXISTS',
      status: 409,
      messageKey: 'auth.user_exists',
    })
  }
}

function actorOf(user: User) {
  return { type: 'user' as const, id: user.id, label: user.email }
}

async function sendInvitation(user: User, token: string, invitedBy: User) {
  const tenant = tenantContext.requireTenant('invitation')
  await deliver(
    new InvitationMail(
      { to: user.email, tenant, url: await tenantUrl(tenant, `/invitations/${token}`), locale: user.locale },
      { inviter: invitedBy.displayName }
    )
  )
}

function isUniqueViolation(error: any) {
  return error?.code === '23505' || /UNIQUE constraint failed/i.test(String(error?.message))
}

export async function inviteUser(input: InviteInput): Promise<User> {
  const tenant = tenantContext.requireTenant('invitation')
  const email = input.email.trim().toLowerCase()
  const role = await Role.query().where('id', input.roleId).first()
  if (!role) throw new NotFoundError('Role not found')
  if (await User.query().where('email', email).first()) throw new UserExistsError()

  let user: User
  let token: string
  try {
    ;({ user, token } = await db.transaction(async (trx) => {
      const created = await User.create(
        {
          tenantId: tenant.id,
          email,
          fullName: input.fullName?.trim() || null,
          password: null,
          roleId: role.id,
          status: 'invited',
        },
        { client: trx }
      )
      return { user: created, token: await issueToken(created, 'invite', INVITE_TTL, { client: trx }) }
    }))
  } catch (error) {
    /* Two invitations for one address at once: the unique key decides, the loser gets a 409 */
    if (isUniqueViolation(error)) throw new UserExistsError()
    throw error
  }

  await audit({
    action: 'user.invited',
    subjectType: 'user',
    subjectId: user.id,
    after: { email: user.email, fullName: user.fullName, role: role.key, status: user.status },
    actor: actorOf(input.invitedBy),
  })
  await hooks.doAction('user.created', { user }, { tenantId: tenant.id })
  await sendInvitation(user, token, input.invitedBy)
  return user
}

/** Sends a fresh link; earlier open links of this user stop working */
export async function resendInvitation(user: User, invitedBy: User): Promise<void> {
  const tenant = tenantContext.requireTenant('invitation')
  if (user.tenantId !== tenant.id) throw new NotFoundError('User not found')
  if (user.status !== 'invited') {
    throw new DomainError('Only invited users can get a new invitation', {
      code: 'E_NOT_INVITED',
      status: 409,
      messageKey: 'auth.not_invited',
    })
  }
  const token = await db.transaction(async (trx) => {
    await revokeTokens(user, 'invite', trx)
    return issueToken(user, 'invite', INVITE_TTL, { client: trx })
  })
  await audit({
    action: 'user.invitation_resent',
    subjectType: 'user',
    subjectId: user.id,
    after: { email: user.email },
    actor: actorOf(invitedBy),
  })
  await sendInvitation(user, token, invitedBy)
}

/** The invitation behind a link, for the accept page (404 when unknown in this tenant) */
export async function findInvitation(token: string) {
  const { user } = await usableToken(token, 'invite', 'invited')
  return user
}

/** Sets the password, activates the user and uses the link up */
export async function acceptInvitation(
  token: string,
  input: { password: string; fullName?: string | null }
): Promise<User> {
  const { token: row, user } = await usableToken(token, 'invite', 'invited')
  const before = { status: user.status, fullName: user.fullName }
  await db.transaction(async (trx) => {
    if (!(await consumeToken(row, trx))) throw new TokenUnusableError('used')
    user.useTransaction(trx)
    user.password = input.password
    user.status = 'active'
    if (input.fullName?.trim()) user.fullName = input.fullName.trim()
    await user.save()
    await revokeTokens(user, 'invite', trx)
  })
  await audit({
    action: 'user.invitation_accepted',
    subjectType: 'user',
    subjectId: user.id,
    before,
    after: { status: user.status, fullName: user.fullName },
    actor: actorOf(user),
  })
  return user
}
