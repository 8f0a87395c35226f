/*
| Who may change whom among a tenant's staff. Owners are protected from admins, and nobody
| demotes or deactivates themselves by accident.
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

  /** Changing a colleague's role or status */
  manage(actor: Actor, target: User & { $roleKey?: string }) {
    if (!actor.$permissions?.has('kernel.users.manage')) return false
    if (actor.id === target.id) return false
    if (target.$roleKey === 'owner' && actor.$roleKey !== 'owner') return false
    return true
  }
}
