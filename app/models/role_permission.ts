import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { withTenantScope } from '#tenancy/tenant_scoped'

export default class RolePermission extends compose(BaseModel, withTenantScope) {
  static table = 'role_permissions'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare roleId: number

  @column()
  declare permission: string
}
