import vine from '@vinejs/vine'

/** The permissions ticked for one role in the roles matrix (unknown keys are dropped later) */
export const updateRolePermissionsValidator = vine.create(
  vine.object({
    permissions: vine.array(vine.string().trim().maxLength(120)).maxLength(1000).optional(),
  })
)
