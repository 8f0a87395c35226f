import type { HttpContext } from '@adonisjs/core/http'
import type User from '#models/user'
import { roleKeyOf } from '#services/access_service'
import {
  LastOwnerError,
  assignableRoles,
  changeRole,
  findMember,
  findRole,
  listMembers,
  setActive,
  type Member,
} from '#services/user_admin_service'
import { inviteUser, resendInvitation, UserExistsError } from '#services/invitation_service'
import { changeRoleValidator, inviteUserValidator } from '#validators/user_admin'
import { refuseForm, validateForm, wantsFragment } from '#controllers/settings/form_support'
import { ForbiddenError } from '#exceptions/domain_errors'
import { revokeAllSessions } from '#services/session_tracking'
import { resetTwoFactor, usersWithTwoFactor } from '#services/two_factor_service'

const BACK = '/app/settings/users'

const LABELS: Record<string, string> = {
  email: 'settings.users_email',
  fullName: 'settings.users_name',
  roleId: 'settings.users_role',
}

type Actor = User & { $roleKey?: string }

/** The signed-in user, with the role key the UserPolicy reads */
async function actorOf(ctx: HttpContext): Promise<Actor> {
  const actor = ctx.auth.use('web').user! as Actor
  actor.$roleKey ??= await roleKeyOf(actor)
  return actor
}

/**
 * Team members: list, invite, change role, deactivate and reactivate. Policy refusals answer 403
 * like missing permissions (Bouncer's own refusal would redirect a form post back instead).
 */
export default class TeamController {
  async index(ctx: HttpContext) {
    return ctx.view.render('pages/settings/users', await this.tableData(ctx))
  }

  async invite(ctx: HttpContext) {
    const actor = await actorOf(ctx)
    const input = await validateForm<{ email: string; fullName: string; roleId: number }>(ctx, inviteUserValidator, {
      back: BACK,
      labels: LABELS,
    })
    if (!input) return
    const role = await findRole(input.roleId)
    if (await ctx.bouncer.with('UserPolicy').denies('inviteAs', role.key)) throw new ForbiddenError()
    try {
      await inviteUser({ email: input.email, fullName: input.fullName, roleId: role.id, invitedBy: actor })
    } catch (error) {
      if (!(error instanceof UserExistsError)) throw error
      return refuseForm(ctx, { email: ctx.i18n.t('settings.users_exists') }, BACK)
    }
    ctx.session.flash('success', ctx.i18n.t('settings.users_invited', { email: input.email }))
    return ctx.response.redirect(BACK)
  }

  async updateRole(ctx: HttpContext) {
    await actorOf(ctx)
    const target = await findMember(Number(ctx.params.id))
    const input = await validateForm<{ roleId: number }>(ctx, changeRoleValidator, { back: BACK, labels: LABELS })
    if (!input) return
    const role = await findRole(input.roleId)
    if (await ctx.bouncer.with('UserPolicy').denies('assignRole', target, role.key)) throw new ForbiddenError()
    return this.apply(ctx, target, () => changeRole(target, role), 'settings.users_role_changed')
  }

  async deactivate(ctx: HttpContext) {
    await actorOf(ctx)
    const target = await findMember(Number(ctx.params.id))
    if (await ctx.bouncer.with('UserPolicy').denies('manage', target)) throw new ForbiddenError()
    return this.apply(ctx, target, () => setActive(target, false), 'settings.users_deactivated')
  }

  async reactivate(ctx: HttpContext) {
    await actorOf(ctx)
    const target = await findMember(Number(ctx.params.id))
    if (await ctx.bouncer.with('UserPolicy').denies('manage', target)) throw new ForbiddenError()
    return this.apply(ctx, target, () => setActive(target, true), 'settings.users_reactivated')
  }

  async resend(ctx: HttpContext) {
    const actor = await actorOf(ctx)
    const target = await findMember(Number(ctx.params.id))
    if (await ctx.bouncer.with('UserPolicy').denies('manage', target)) throw new ForbiddenError()
    return this.apply(ctx, target, () => resendInvitation(target, actor), 'settings.users_invitation_resent')
  }

  /** A colleague lost their second factor: remove it so they can sign in and enrol again */
  async resetTwoFactor(ctx: HttpContext) {
    await actorOf(ctx)
    const target = await findMember(Number(ctx.params.id))
    if (await ctx.bouncer.with('UserPolicy').denies('manage', target)) throw new ForbiddenError()
    return this.apply(ctx, target, () => resetTwoFactor(target), 'security.reset_done')
  }

  /** Signs the member out of every browser session at once (see services/session_tracking.ts) */
  async revokeSessions(ctx: HttpContext) {
    await actorOf(ctx)
    const target = await findMember(Number(ctx.params.id))
    if (await ctx.bouncer.with('UserPolicy').denies('manage', target)) throw new ForbiddenError()
    return this.apply(ctx, target, () => revokeAllSessions(target, 'admin'), 'account.team_sessions_revoked')
  }

  /**
   * Runs a change on one member and answers: the refreshed table with a toast for an HTMX
   * fragment request, else a redirect with a flash message.
   */
  private async apply(ctx: HttpContext, target: Member, change: () => Promise<unknown>, successKey: string) {
    let message = ctx.i18n.t(successKey, { email: target.email })
    let kind: 'success' | 'error' = 'success'
    try {
      await change()
    } catch (error) {
      if (!(error instanceof LastOwnerError)) throw error
      message = ctx.i18n.t('settings.users_last_owner')
      kind = 'error'
    }
    if (wantsFragment(ctx)) {
      return ctx.view.render('partials/settings/users_table', { ...(await this.tableData(ctx)), toast: { kind, message } })
    }
    ctx.session.flash(kind, message)
    return ctx.response.redirect(BACK)
  }

  /** Members with what the viewer may do to each (the same UserPolicy the actions check) */
  private async tableData(ctx: HttpContext) {
    const actor = await actorOf(ctx)
    const policy = ctx.bouncer.with('UserPolicy')
    const members = await listMembers()
    const roles = await assignableRoles(actor.$roleKey)
    const rows = []
    const withTwoFactor = await usersWithTwoFactor(actor.tenantId)
    for (const member of members) {
      rows.push({ member, canManage: await policy.allows('manage', member), twoFactor: withTwoFactor.has(member.id) })
    }
    const label = (key: string, name: string) => (ctx.i18n.hasMessage(`roles.${key}`) ? ctx.i18n.t(`roles.${key}`) : name)
    return {
      rows,
      roles,
      roleOptions: roles.map((r) => ({ value: r.id, label: label(r.key, r.name) })),
      defaultRoleId: (roles.find((r) => r.key === 'staff') ?? roles[roles.length - 1])?.id,
      canInvite: await policy.allows('invite'),
      zone: ctx.tenant!.timezone,
    }
  }
}
