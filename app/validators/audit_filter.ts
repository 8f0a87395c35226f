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
    /* a subject type, or type:id */
    subject: vine
      .string()
      .trim()
      .maxLength(130)
      .regex(/^[a-z0-9_.-]+(:[A-Za-z0-9_.:@-]+)?$/)
      .optional(),
    ip: vine.string().trim().maxLength(45).regex(/^[0-9A-Fa-f.:]+$/).optional(),
    before: vine.number().withoutDecimals().positive().optional(),
  })
)
