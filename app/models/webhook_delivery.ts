import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, belongsTo, column, hasMany } from '@adonisjs/lucid/orm'
import type { BelongsTo, HasMany } from '@adonisjs/lucid/types/relations'
import { withTenantScope } from '#tenancy/tenant_scoped'
import WebhookEndpoint from '#models/webhook_endpoint'
import WebhookDeliveryAttempt from '#models/webhook_delivery_attempt'

export type DeliveryStatus = 'pending' | 'succeeded' | 'failed'

/** One event for one endpoint, retried until it succeeds or its attempts run out */
export default class WebhookDelivery extends compose(BaseModel, withTenantScope) {
  @column({ isPrimary: true, consume: (v) => Number(v) })
  declare id: number

  @column()
  declare endpointId: number

  @belongsTo(() => WebhookEndpoint, { foreignKey: 'endpointId' })
  declare endpoint: BelongsTo<typeof WebhookEndpoint>

  @hasMany(() => WebhookDeliveryAttempt, { foreignKey: 'deliveryId' })
  declare attemptLog: HasMany<typeof WebhookDeliveryAttempt>

  /** the webhook-id header: the same for every retry and replay, so receivers can dedupe */
  @column()
  declare messageId: string

  @column()
  declare event: string

  /** the exact JSON body that is signed and sent */
  @column()
  declare payload: string

  @column()
  declare status: DeliveryStatus

  @column()
  declare attempts: number

  @column()
  declare lastStatusCode: number | null

  @column.dateTime()
  declare nextAttemptAt: DateTime | null

  @column.dateTime()
  declare deliveredAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
