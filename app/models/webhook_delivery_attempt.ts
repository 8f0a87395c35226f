import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { withTenantScope } from '#tenancy/tenant_scoped'

/** One HTTP request of a webhook delivery (the delivery log) */
export default class WebhookDeliveryAttempt extends compose(BaseModel, withTenantScope) {
  @column({ isPrimary: true, consume: (v) => Number(v) })
  declare id: number

  @column({ consume: (v) => Number(v) })
  declare deliveryId: number

  @column()
  declare attempt: number

  @column()
  declare trigger: 'automatic' | 'manual'

  @column()
  declare url: string

  @column({
    prepare: (v: Record<string, string>) => JSON.stringify(v ?? {}),
    consume: (v: string | null) => (v ? JSON.parse(v) : {}),
  })
  declare requestHeaders: Record<string, string>

  @column()
  declare responseStatus: number | null

  @column()
  declare responseBody: string | null

  @column()
  declare durationMs: number

  @column()
  declare error: string | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  get succeeded() {
    return this.responseStatus !== null && this.responseStatus >= 200 && this.responseStatus < 300
  }
}
