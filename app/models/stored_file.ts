import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { withTenantScope } from '#tenancy/tenant_scoped'

/** An uploaded file: metadata here, bytes on the Drive disk named in `disk` under `key` */
export default class StoredFile extends compose(BaseModel, withTenantScope) {
  static table = 'files'

  @column({ isPrimary: true })
  declare id: number

  @column({ serializeAs: null })
  declare disk: string

  @column({ serializeAs: null })
  declare key: string

  @column()
  declare originalName: string

  @column()
  declare contentType: string

  @column()
  declare extension: string

  @column({ consume: (v) => Number(v) })
  declare size: number

  @column({ columnName: 'sha256' })
  declare sha256: string

  @column()
  declare uploadedBy: number | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime
}
