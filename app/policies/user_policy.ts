/*
| Who may change whom among a tenant's staff. Owners are protected from admins, only owners make
| owners, and nobody changes their own role or status by accident.
*/
import { BasePolicy } from '@adonisjs/bouncer'
import type User from '#models/user'

type Actor = User & { $permissions?: Set<string>; $roleKey?: string }

export default class UserPolicy extends BasePolicy {
  viewList(actor: Actor) {
    return actor.$permissions?.has('kernel.users.view') ?? false
  }

  invite(actor: Actor) {
    return actor.$permissions?.has('kernel.users.manage') ?? false
  }

  /** Inviting with a given role: an owner invitation needs an owner */
  inviteAs(actor: Actor, roleKey: string) {
    return this.invite(actor) && (roleKey !== 'owner' || actor.$roleKey === 'owner')
  }

  /** Changing a colleague's role or status */
  manage(actor: Actor, target: User & { $roleKey?: string }) {
    if (!actor.$permissions?.has('kernel.users.manage')) return false
    if (actor.id === target.id) return false
    if (target.$roleKey === 'owner' && actor.$roleKey !== 'owner') return false
    return true
  }

  /** Giving a colleague a role: as `manage`, and only owners hand out the owner role */
  assignRole(actor: Actor, target: User & { $roleKey?: string }, roleKey: string) {
    return this.manage(actor, target) && (roleKey !== 'owner' || actor.$roleKey === 'owner')
  }
}
