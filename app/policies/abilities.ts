/*
| Pre-registered Bouncer abilities. `permission` checks a key the request's role (narrowed by
| token scopes on the API) grants: `@can('permission', 'kernel.users.manage')` in Edge.
*/
import { Bouncer } from '@adonisjs/bouncer'

type WithPermissions = { $permissions?: Set<string> }

export const permission = Bouncer.ability((user: WithPermissions, key: string) => {
  return user.$permissions?.has(key) ?? false
})
