import type { HttpContext } from '@adonisjs/core/http'
import { apiProfileValidator, apiUpdateProfileValidator } from '../validators/recurring.js'
import {
  createProfile,
  deleteProfile,
  findProfile,
  profilesListing,
  profilesQuery,
  runProfile,
  runsOf,
  serializeProfile,
  setPaused,
  updateProfile,
  type ProfileInput,
} from '../services/recurring.js'
import { parseQuantity } from '../services/money.js'
import type { TemplateLine } from '../models/recurring_profile.js'
import { asValidation } from './products_api_controller.js'

type ApiLine = { product_id?: number | null; description: string; quantity: number | string; unit?: string | null; unit_price: number; tax_rate_id?: number | null }

export function templateLines(lines: ApiLine[]): TemplateLine[] {
  return lines.map((l) => ({
    productId: l.product_id ?? null,
    description: l.description,
    quantity: parseQuantity(l.quantity),
    unit: l.unit ?? 'C62',
    unitPrice: l.unit_price,
    taxRateId: l.tax_rate_id ?? null,
  }))
}

function toInput(body: Record<string, any>): Partial<ProfileInput> {
  const { lines, ...rest } = body
  return { ...rest, ...(lines ? { lines: templateLines(lines) } : {}) }
}

/** /api/v1/recurring-invoices: recurring profiles and the invoices they created */
export default class RecurringProfilesApiController {
  async index(ctx: HttpContext) {
    const params = await profilesListing.validate(ctx)
    return profilesListing.respond(ctx, await profilesListing.paginate(profilesQuery(params), params), serializeProfile)
  }

  async store(ctx: HttpContext) {
    const body = await ctx.request.validateUsing(apiProfileValidator)
    const profile = await asValidation(ctx, () => createProfile(toInput(body) as ProfileInput))
    ctx.response.header('location', `/api/v1/recurring-invoices/${profile.id}`)
    return ctx.response.created({ data: serializeProfile(profile) })
  }

  async show({ params }: HttpContext) {
    const profile = await findProfile(params.id)
    const runs = await runsOf(profile)
    return { data: { ...serializeProfile(profile), runs: runs.map((r) => ({ period_on: r.periodOn, invoice_id: r.documentId })) } }
  }

  async update(ctx: HttpContext) {
    const profile = await findProfile(ctx.params.id)
    const body = await ctx.request.validateUsing(apiUpdateProfileValidator)
    return { data: serializeProfile(await asValidation(ctx, () => updateProfile(profile, toInput(body)))) }
  }

  async destroy({ params, response }: HttpContext) {
    await deleteProfile(await findProfile(params.id))
    return response.noContent()
  }

  async pause({ params }: HttpContext) {
    return { data: serializeProfile(await setPaused(await findProfile(params.id), true)) }
  }

  async resume({ params }: HttpContext) {
    return { data: serializeProfile(await setPaused(await findProfile(params.id), false)) }
  }

  /** Bills the due periods of this profile now instead of waiting for the hourly job */
  async run({ params }: HttpContext) {
    const profile = await findProfile(params.id)
    const created = await runProfile(profile)
    return { data: { ...serializeProfile(profile), created_invoice_ids: created } }
  }
}
