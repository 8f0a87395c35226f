import vine from '@vinejs/vine'

export const EXPIRY_CHOICES = [7, 30, 90, 365] as const

/** The settings page form; scopes are checked against the catalogue by the token service */
export const createTokenValidator = vine.create(
  vine.object({
    name: vine.string().trim().minLength(1).maxLength(100),
    scopes: vine.array(vine.string().trim().minLength(1).maxLength(120)).minLength(1).maxLength(200),
    expires_in_days: vine.number().withoutDecimals().range([1, 3650]).optional().nullable(),
  })
)
