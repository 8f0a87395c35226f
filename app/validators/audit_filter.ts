import vine from '@vinejs/vine'

const day = () =>
  vine
    .string()
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional()

/** Query string of the audit log page: filters and the cursor */
export const auditFilterValidator = vine.create(
  vine.object({
    action: vine.string().trim().maxLength(100).optional(),
    actor: vine.number().withoutDecimals().positive().optional(),
    from: day(),
    to: day(),
    before: vine.number().withoutDecimals().positive().optional(),
  })
)
