import vine from '@vinejs/vine'

/* Password rules for every password a user chooses (reset, invitation) */
const newPassword = () => vine.string().minLength(12).maxLength(256).confirmed()

export const forgotPasswordValidator = vine.create(
  vine.object({
    email: vine.string().trim().toLowerCase().email().maxLength(254),
  })
)

export const resetPasswordValidator = vine.create(
  vine.object({
    password: newPassword(),
  })
)

export const acceptInvitationValidator = vine.create(
  vine.object({
    fullName: vine.string().trim().maxLength(200).optional(),
    password: newPassword(),
  })
)
