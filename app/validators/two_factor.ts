import vine from '@vinejs/vine'

export const confirmTotpValidator = vine.create(
  vine.object({
    code: vine.string().trim().minLength(6).maxLength(10),
  })
)

/** Turning TOTP off: the password or a current code, one of the two */
export const disableTotpValidator = vine.create(
  vine.object({
    password: vine.string().maxLength(256).optional(),
    code: vine.string().trim().maxLength(10).optional(),
  })
)

export const passkeyNameValidator = vine.create(
  vine.object({
    name: vine.string().trim().minLength(1).maxLength(100),
  })
)

export const twoFactorRolesValidator = vine.create(
  vine.object({
    roles: vine.array(vine.enum(['owner', 'admin', 'accountant', 'staff', 'viewer'])).optional(),
  })
)
