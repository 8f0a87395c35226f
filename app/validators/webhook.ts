import vine from '@vinejs/vine'

const url = () =>
  vine
    .string()
    .trim()
    .maxLength(2000)
    .url({ protocols: ['http', 'https'], require_tld: false, require_protocol: true, disallow_auth: true })

const events = () => vine.array(vine.string().trim().maxLength(100)).minLength(1).maxLength(200)

export const createWebhookValidator = vine.create(
  vine.object({
    url: url(),
    description: vine.string().trim().maxLength(200).nullable().optional(),
    events: events(),
    enabled: vine.boolean().optional(),
  })
)

export const updateWebhookValidator = vine.create(
  vine.object({
    url: url().optional(),
    description: vine.string().trim().maxLength(200).nullable().optional(),
    events: events().optional(),
    enabled: vine.boolean().optional(),
  })
)
