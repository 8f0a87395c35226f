import type { HttpContext } from '@adonisjs/core/http'
import vine from '@vinejs/vine'
import User from '#models/user'
import { roleKeyOf } from '#services/access_service'
import { OwnershipTransferError, findMember, ownershipCandidates, transferOwnership } from '#services/user_admin_service'
import { refuseForm, validateForm } from '#controllers/settings/form_support'
import { ForbiddenError, NotFoundError } from '#exceptions/domain_errors'

const PAGE = '/app/settings/users/transfer-ownership'

const transferValidator = vine.create(
  vine.object({
    userId: vine.number().withoutDecimals().positive(),
    password: vine.string().minLength(1).maxLength(1000),
  })
)

/** Only an owner hands the owner role on; everyone else gets 403 */
async function ownerOf(ctx: HttpContext) {
  const user = ctx.auth.use('web').user!
  if ((await roleKeyOf(user)) !== 'owner') throw new ForbiddenError()
  return user
}

/** Transfer of ownership: the owner picks an active member and confirms with their password */
export default class OwnershipController {
  async edit(ctx: HttpContext) {
    const owner = await ownerOf(ctx)
    const candidates = await ownershipCandidates(owner)
    return ctx.view.render('pages/settings/ownership', {
      options: candidates.map((m) => ({ value: m.id, label: m.fullName ? `${m.fullName} <${m.email}>` : m.email })),
    })
  }

  async update(ctx: HttpContext) {
    const owner = await ownerOf(ctx)
    const input = await validateForm<{ userId: number; password: string }>(ctx, transferValidator, {
      back: PAGE,
      labels: { userId: 'security_admin.ownership_member', password: 'security_admin.ownership_password' },
    })
    if (!input) return
    try {
      await User.verifyCredentials(owner.email, input.password)
    } catch {
      return refuseForm(ctx, { password: ctx.i18n.t('security_admin.ownership_wrong_password') }, PAGE)
    }
    try {
      const target = await findMember(input.userId)
      await transferOwnership(owner, target)
      ctx.session.flash('success', ctx.i18n.t('security_admin.ownership_done', { email: target.email }))
    } catch (error) {
      if (error instanceof OwnershipTransferError || error instanceof NotFoundError) {
        return refuseForm(ctx, { userId: ctx.i18n.t('security_admin.ownership_invalid_member') }, PAGE)
      }
      throw error
    }
    return ctx.response.redirect('/app/settings/users')
  }
}
