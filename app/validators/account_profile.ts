/* The account pages (profile, password) and the tenant's session and password settings */
import vine from '@vinejs/vine'
import { newPasswordField } from '#services/password_policy_rule'
import { POLICY_BOUNDS } from '#services/session_tracking_policy'

export const updateProfileValidator = vine.create(
  vine.object({
    fullName: vine.string().trim().maxLength(200).optional(),
    email: vine.string().trim().toLowerCase().email().maxLength(254),
    current_password: vine.string().maxLength(1024).optional(),
  })
)

export const changePasswordValidator = vine.create(
  vine.object({
    current_password: vine.string().maxLength(1024),
    password: newPasswordField(),
  })
)

/* The API takes the new password once: a client repeats it, not the person */
export const changePasswordApiValidator = vine.create(
  vine.object({
    current_password: vine.string().maxLength(1024),
    password: newPasswordField({ confirmed: false }),
  })
)

const { idleTimeoutMinutes: idle, absoluteTimeoutMinutes: absolute, passwordMinLength: minLength } = POLICY_BOUNDS

export const accountPolicyValidator = vine.create(
  vine.object({
    idleTimeoutMinutes: vine.number().withoutDecimals().range([idle.min, idle.max]),
    absoluteTimeoutHours: vine.number().withoutDecimals().range([absolute.min / 60, absolute.max / 60]),
    passwordMinLength: vine.number().withoutDecimals().range([minLength.min, minLength.max]),
  })
)
