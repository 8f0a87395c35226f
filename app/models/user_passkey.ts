import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { withTenantScope } from '#tenancy/tenant_scoped'

/** A WebAuthn credential (passkey) registered by a user */
export default class UserPasskey extends compose(BaseModel, withTenantScope) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare userId: number

  @column()
  declare name: string

  @column()
  declare credentialId: string

  @column({ serializeAs: null })
  declare publicKey: string

  @column({ consume: (v) => Number(v) })
  declare counter: number

  @column({
    prepare: (v: string[]) => JSON.stringify(v ?? []),
    consume: (v: string | null) => (v ? JSON.parse(v) : []),
  })
  declare transports: string[]

  @column()
  declare deviceType: string

  @column({ consume: (v) => Boolean(v) })
  declare backedUp: boolean

  @column.dateTime()
  declare lastUsedAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
