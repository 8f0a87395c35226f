/* Policies Bouncer can reference by name */
export const policies = {
  UserPolicy: () => import('#policies/user_policy'),
}
