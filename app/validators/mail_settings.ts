import vine from '@vinejs/vine'

const optionalText = (max: number) => vine.string().trim().maxLength(max).nullable().optional()

/** Settings → Mail: sender identity and the optional SMTP server of the tenant */
export const mailSettingsValidator = vine.create(
  vine.object({
    fromName: optionalText(100),
    fromAddress: vine.string().trim().email().maxLength(254).nullable().optional(),
    replyTo: vine.string().trim().email().maxLength(254).nullable().optional(),
    smtpEnabled: vine.boolean(),
    smtpHost: vine
      .string()
      .trim()
      .maxLength(253)
      .regex(/^[A-Za-z0-9.-]+$|^\[?[0-9a-fA-F:.]+\]?$/)
      .nullable()
      .optional()
      .requiredWhen('smtpEnabled', '=', true),
    smtpPort: vine.number().withoutDecimals().range([1, 65535]).nullable().optional(),
    smtpSecurity: vine.enum(['tls', 'starttls', 'none'] as const),
    smtpUsername: optionalText(254),
    smtpPassword: optionalText(500),
  })
)
