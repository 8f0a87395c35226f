import vine from '@vinejs/vine'

export const tenantListValidator = vine.create(
  vine.object({
    page: vine.number().withoutDecimals().min(1).max(100000).optional(),
  })
)
