/* The tenant's Stripe account: keys encrypted at rest, last connection check */
import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import encryption from '@adonisjs/core/services/encryption'
import { withTenantScope } from '#tenancy/tenant_scoped'

export default class StripeAccount extends compose(BaseModel, withTenantScope) {
  static table = 'payments_stripe_accounts'

  @column({ isPrimary: true })
  declare id: number

  @column({ serializeAs: null })
  declare secretKeyEncrypted: string | null

  @column()
  declare secretKeyHint: string | null

  @column({ serializeAs: null })
  declare webhookSecretEncrypted: string | null

  @column()
  declare publishableKey: string | null

  @column()
  declare accountId: string | null

  @column()
  declare accountName: string | null

  @column({ consume: (v) => Boolean(v) })
  declare livemode: boolean

  @column()
  declare checkStatus: 'ok' | 'failed' | null

  @column()
  declare checkError: string | null

  @column.dateTime()
  declare checkedAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  get secretKey(): string | null {
    return this.secretKeyEncrypted ? encryption.decrypt<string>(this.secretKeyEncrypted, 'payments.stripe.secret_key') : null
  }

  set secretKey(value: string | null) {
    this.secretKeyEncrypted = value ? encryption.encrypt(value, { purpose: 'payments.stripe.secret_key' }) : null
    this.secretKeyHint = value ? value.slice(-4) : null
  }

  get webhookSecret(): string | null {
    return this.webhookSecretEncrypted ? encryption.decrypt<string>(this.webhookSecretEncrypted, 'payments.stripe.webhook_secret') : null
  }

  set webhookSecret(value: string | null) {
    this.webhookSecretEncrypted = value ? encryption.encrypt(value, { purpose: 'payments.stripe.webhook_secret' }) : null
  }

  get configured() {
    return Boolean(this.secretKeyEncrypted && this.webhookSecretEncrypted)
  }
}
