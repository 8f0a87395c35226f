import vine from '@vinejs/vine'
import { newPasswordField } from '#services/password_policy_rule'

/* Every password a user chooses (reset, invitation) follows the password policy */
const newPassword = () => newPasswordField()

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
