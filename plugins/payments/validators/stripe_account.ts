import vine from '@vinejs/vine'

/* Blank secret fields keep what is stored: secrets are never sent back to the form */
export const stripeAccountValidator = vine.compile(
  vine.object({
    publishable_key: vine.string().trim().regex(/^pk_(test|live)_[A-Za-z0-9]+$/).maxLength(255).optional(),
    secret_key: vine.string().trim().regex(/^(sk|rk)_(test|live)_[A-Za-z0-9]+$/).maxLength(255).optional(),
    webhook_secret: vine.string().trim().regex(/^whsec_[A-Za-z0-9]+$/).maxLength(255).optional(),
  })
)
