import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { withTenantScope } from '#tenancy/tenant_scoped'

const json = {
  prepare: (v: unknown) => JSON.stringify(v),
  consume: (v: string | null) => (v ? JSON.parse(v) : null),
}

/** An outgoing mail, sent by the `kernel:send_mail` job */
export default class MailMessage extends compose(BaseModel, withTenantScope) {
  @column({ isPrimary: true, consume: (v) => Number(v) })
  declare id: number

  @column(json)
  declare to: string[]

  @column()
  declare subject: string

  @column()
  declare template: string

  @column(json)
  declare data: Record<string, unknown>

  @column(json)
  declare attachments: number[]

  @column()
  declare locale: string | null

  @column()
  declare status: 'queued' | 'sent' | 'failed'

  @column()
  declare attempts: number

  @column()
  declare providerMessageId: string | null

  @column()
  declare error: string | null

  @column.dateTime()
  declare sentAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
