import type { HttpContext } from '@adonisjs/core/http'
import { errors as vineErrors } from '@vinejs/vine'
import { apiProductValidator, apiUpdateProductValidator } from '../validators/parties.js'
import {
  FieldRefusedError,
  createProduct,
  findProduct,
  productsListing,
  productsQuery,
  serializeProduct,
  setProductArchived,
  updateProduct,
  type ProductInput,
} from '../services/catalogue.js'

/** A service refusal tied to a field answers like a validation error: 422 with the field */
export async function asValidation<T>(ctx: HttpContext, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (error) {
    if (!(error instanceof FieldRefusedError)) throw error
    const message = ctx.i18n.t(error.messageKey!)
    throw new vineErrors.E_VALIDATION_ERROR([{ field: error.field, message, rule: error.messageKey!.split('.').pop()! }])
  }
}

/** /api/v1/products: prices in integer minor units of the product's currency */
export default class ProductsApiController {
  async index(ctx: HttpContext) {
    const params = await productsListing.validate(ctx)
    return productsListing.respond(ctx, await productsListing.paginate(productsQuery(params), params), serializeProduct)
  }

  async store(ctx: HttpContext) {
    const input = (await ctx.request.validateUsing(apiProductValidator)) as ProductInput
    const product = await asValidation(ctx, () => createProduct(input))
    ctx.response.header('location', `/api/v1/products/${product.id}`)
    return ctx.response.created({ data: serializeProduct(product) })
  }

  async show({ params }: HttpContext) {
    return { data: serializeProduct(await findProduct(params.id)) }
  }

  async update(ctx: HttpContext) {
    const product = await findProduct(ctx.params.id)
    const input = (await ctx.request.validateUsing(apiUpdateProductValidator)) as Partial<ProductInput>
    return { data: serializeProduct(await asValidation(ctx, () => updateProduct(product, input))) }
  }

  /** Archived, not deleted: draft lines may still name the product */
  async destroy({ params, response }: HttpContext) {
    await setProductArchived(await findProduct(params.id), true)
    return response.noContent()
  }
}
