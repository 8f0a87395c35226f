import type { HttpContext } from '@adonisjs/core/http'
import { apiTaxRateValidator, apiUpdateTaxRateValidator } from '../validators/parties.js'
import {
  createTaxRate,
  findTaxRate,
  serializeTaxRate,
  setTaxRateArchived,
  taxRatesListing,
  taxRatesQuery,
  updateTaxRate,
  type TaxRateInput,
} from '../services/catalogue.js'
import { asValidation } from './products_api_controller.js'

/** /api/v1/tax-rates: rates in thousandths of a percent (19% = 19000) */
export default class TaxRatesApiController {
  async index(ctx: HttpContext) {
    const params = await taxRatesListing.validate(ctx)
    return taxRatesListing.respond(ctx, await taxRatesListing.paginate(taxRatesQuery(params), params), serializeTaxRate)
  }

  async store(ctx: HttpContext) {
    const input = (await ctx.request.validateUsing(apiTaxRateValidator)) as TaxRateInput
    const rate = await asValidation(ctx, () => createTaxRate(input))
    ctx.response.header('location', `/api/v1/tax-rates/${rate.id}`)
    return ctx.response.created({ data: serializeTaxRate(rate) })
  }

  async show({ params }: HttpContext) {
    return { data: serializeTaxRate(await findTaxRate(params.id)) }
  }

  async update(ctx: HttpContext) {
    const rate = await findTaxRate(ctx.params.id)
    const input = (await ctx.request.validateUsing(apiUpdateTaxRateValidator)) as Partial<TaxRateInput>
    return { data: serializeTaxRate(await asValidation(ctx, () => updateTaxRate(rate, input))) }
  }

  /** Archived, not deleted: issued documents copied the rate, drafts may still use it */
  async destroy({ params, response }: HttpContext) {
    await setTaxRateArchived(await findTaxRate(params.id), true)
    return response.noContent()
  }
}
