/* Team administration: inviting a colleague and changing someone's role */
import vine from '@vinejs/vine'
import { tenantContext } from '#tenancy/tenant_context'

export const changeRoleValidator = vine.create(
  vine.object({
    roleId: vine.number().withoutDecimals().positive(),
  })
)

export const inviteUserValidator = vine.create(
  vine.object({
    email: vine
      .string()
      .trim()
      .toLowerCase()
      .email()
      .maxLength(254)
      .unique({
        table: 'users',
        column: 'email',
        filter: (query) => {
          query.where('tenant_id', tenantContext.requireTenant('users').id)
        },
      }),
    fullName: vine.string().trim().minLength(1).maxLength(200),
    roleId: vine.number().withoutDecimals().positive(),
  })
)
