import type { HttpContext } from '@adonisjs/core/http'
import vine from '@vinejs/vine'
import User from '#models/user'
import db from '@adonisjs/lucid/services/db'
import { ROLE_KEYS } from '#kernel/plugin_manifest'
import { defineListing, likeContains } from '#api/pagination'

export const usersListing = defineListing({
  sorts: { created_at: 'users.created_at', email: 'users.email' },
  defaultSort: 'created_at',
  filters: {
    role: vine.enum(ROLE_KEYS).optional(),
    status: vine.enum(['active', 'invited', 'deactivated'] as const).optional(),
    q: vine.string().trim().minLength(1).maxLength(100).optional(),
  },
})

export function serializeUser(user: User) {
  return {
    id: user.id,
    email: user.email,
    name: user.fullName,
    role: user.role?.key ?? null,
    status: user.status,
    locale: user.locale,
    last_login_at: user.lastLoginAt?.toUTC().toISO() ?? null,
    created_at: user.createdAt.toUTC().toISO(),
  }
}

/** GET /api/v1/users: the tenant's team, cursor-paginated */
export default class UsersController {
  async index(ctx: HttpContext) {
    const params = await usersListing.validate(ctx)
    const query = User.query().preload('role')
    if (params.role) {
      const roleIds = db.from('roles').where({ tenant_id: ctx.tenant!.id, key: params.role }).select('id')
      query.whereIn('users.role_id', roleIds)
    }
    if (params.status) query.where('users.status', params.status)
    if (params.q) {
      const term = likeContains(params.q)
      query.where((q) => {
        q.whereRaw(`lower(users.email) like ? escape '\\'`, [term]).orWhereRaw(
          `lower(coalesce(users.full_name, '')) like ? escape '\\'`,
          [term]
        )
      })
    }
    const page = await usersListing.paginate(query, params)
    return usersListing.respond(ctx, page, serializeUser)
  }
}
