import type { HttpContext } from '@adonisjs/core/http'
import { formValues, validateForm, wantsFragment, refuseForm } from '#controllers/settings/form_support'
import plugins from '#kernel/plugin_service'
import { clientValidator, CLIENT_KINDS, CLIENT_LANGUAGES } from '../validators/parties.js'
import {
  archiveClient,
  clientsListing,
  clientsQuery,
  contactCounts,
  contactsOf,
  createClient,
  findClient,
  restoreClient,
  updateClient,
  type ClientInput,
} from '../services/clients.js'
import { MergeRefusedError, mergeClients } from '../services/client_merge.js'
import { currencies } from '../services/money.js'
import { listParams, nextPageUrl } from './parties_support.js'
import { profilesQuery } from '../services/recurring.js'

const BASE = '/app/invoicing/clients'

export const CLIENT_LABELS: Record<string, string> = {
  kind: 'invoicing.clients.kind',
  name: 'invoicing.clients.name',
  email: 'invoicing.clients.email',
  phone: 'invoicing.clients.phone',
  vat_id: 'invoicing.clients.vat_id',
  tax_id: 'invoicing.clients.tax_id',
  currency: 'invoicing.clients.currency',
  language: 'invoicing.clients.language',
  payment_terms_days: 'invoicing.clients.payment_terms_days',
  address_line1: 'invoicing.clients.address_line1',
  address_line2: 'invoicing.clients.address_line2',
  postal_code: 'invoicing.clients.postal_code',
  city: 'invoicing.clients.city',
  region: 'invoicing.clients.region',
  country: 'invoicing.clients.country',
  notes: 'invoicing.clients.notes',
}

const EMPTY = {
  kind: 'company',
  name: '',
  email: '',
  phone: '',
  vat_id: '',
  tax_id: '',
  currency: '',
  language: '',
  payment_terms_days: '',
  address_line1: '',
  address_line2: '',
  postal_code: '',
  city: '',
  region: '',
  country: '',
  notes: '',
}

async function formOptions(ctx: HttpContext) {
  const settings = await plugins.settingsFor(ctx.tenant!.id, 'invoicing')
  return {
    kinds: CLIENT_KINDS.map((k) => ({ value: k, label: ctx.i18n.t(`invoicing.clients.kind_${k}`) })),
    languages: CLIENT_LANGUAGES.map((l) => ({ value: l, label: ctx.i18n.t(`invoicing.clients.language_${l}`) })),
    currencies: currencies().sort().map((c) => ({ value: c, label: c })),
    defaultTerms: settings.paymentTermsDays,
    defaultCurrency: String(settings.defaultCurrency || ctx.tenant!.currency || 'EUR'),
  }
}

/** Clients: list with search and filters, create, edit, show with contacts, archive, merge */
export default class ClientsController {
  async index(ctx: HttpContext) {
    const params = listParams(
      ctx,
      { q: 'text', kind: CLIENT_KINDS, status: ['active', 'archived', 'all'], country: 'text', currency: 'text' },
      'name'
    )
    if (params.country) params.country = params.country.toUpperCase()
    if (params.currency) params.currency = params.currency.toUpperCase()
    const page = await clientsListing.paginate(clientsQuery(params as any), params as any)
    const counts = await contactCounts(page.rows.map((c) => c.id))
    const data = {
      clients: page.rows,
      counts: Object.fromEntries(counts),
      filters: { q: params.q ?? '', kind: params.kind ?? '', status: params.status ?? 'active', country: params.country ?? '', currency: params.currency ?? '' },
      next: nextPageUrl(BASE, params, page.nextCursor),
      paged: Boolean(params.cursor),
    }
    ctx.response.header('Vary', 'HX-Request')
    if (wantsFragment(ctx)) return ctx.view.render('invoicing::partials/clients/list', data)
    return ctx.view.render('invoicing::pages/clients/index', data)
  }

  async create(ctx: HttpContext) {
    const options = await formOptions(ctx)
    return ctx.view.render('invoicing::pages/clients/form', {
      client: null,
      values: formValues(ctx, { ...EMPTY, currency: options.defaultCurrency, language: ctx.tenant!.locale?.slice(0, 2) === 'de' ? 'de' : 'en' }),
      options,
    })
  }

  async store(ctx: HttpContext) {
    const input = await validateForm<ClientInput>(ctx, clientValidator, { back: `${BASE}/new`, labels: CLIENT_LABELS })
    if (!input) return
    const client = await createClient(input)
    ctx.session.flash('success', ctx.i18n.t('invoicing.clients.created'))
    return ctx.response.redirect(`${BASE}/${client.id}`)
  }

  async show(ctx: HttpContext) {
    const client = await findClient(ctx.params.id)
    const contacts = await contactsOf(client)
    const survivor = client.mergedIntoId ? await findClient(client.mergedIntoId).catch(() => null) : null
    const settings = await plugins.settingsFor(ctx.tenant!.id, 'invoicing')
    const recurring = await profilesQuery({ client_id: client.id }).orderBy('name').orderBy('id').limit(50)
    return ctx.view.render('invoicing::pages/clients/show', { client, contacts, survivor, recurring, defaultTerms: settings.paymentTermsDays })
  }

  async edit(ctx: HttpContext) {
    const client = await findClient(ctx.params.id)
    const stored: Record<string, unknown> = {}
    for (const key of Object.keys(EMPTY)) {
      const prop = key.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase())
      stored[key] = (client as any)[prop] ?? ''
    }
    return ctx.view.render('invoicing::pages/clients/form', { client, values: formValues(ctx, stored), options: await formOptions(ctx) })
  }

  async update(ctx: HttpContext) {
    const client = await findClient(ctx.params.id)
    const input = await validateForm<ClientInput>(ctx, clientValidator, { back: `${BASE}/${client.id}/edit`, labels: CLIENT_LABELS })
    if (!input) return
    await updateClient(client, {
      ...Object.fromEntries(Object.keys(EMPTY).map((k) => [k, null])),
      ...input,
    } as ClientInput)
    ctx.session.flash('success', ctx.i18n.t('forms.saved'))
    return ctx.response.redirect(`${BASE}/${client.id}`)
  }

  async archive(ctx: HttpContext) {
    const client = await archiveClient(await findClient(ctx.params.id))
    ctx.session.flash('success', ctx.i18n.t('invoicing.clients.archived_flash'))
    return ctx.response.redirect(`${BASE}/${client.id}`)
  }

  async restore(ctx: HttpContext) {
    const client = await restoreClient(await findClient(ctx.params.id))
    ctx.session.flash('success', ctx.i18n.t('invoicing.clients.restored_flash'))
    return ctx.response.redirect(`${BASE}/${client.id}`)
  }

  /** Pick the duplicate and the survivor; ?a= preselects the client the page was opened from */
  async mergeForm(ctx: HttpContext) {
    const clients = await clientsQuery({ status: 'active' }).orderBy('name').orderBy('id').limit(500)
    const a = Number(ctx.request.qs().a) || null
    return ctx.view.render('invoicing::pages/clients/merge', {
      clients,
      values: formValues(ctx, { survivor_id: a ? String(a) : '', duplicate_id: '' }),
    })
  }

  async merge(ctx: HttpContext) {
    const back = `${BASE}/merge`
    const survivorId = Number(ctx.request.input('survivor_id'))
    const duplicateId = Number(ctx.request.input('duplicate_id'))
    const errors: Record<string, string> = {}
    if (!survivorId) errors.survivor_id = ctx.i18n.t('invoicing.clients.merge_pick')
    if (!duplicateId) errors.duplicate_id = ctx.i18n.t('invoicing.clients.merge_pick')
    if (Object.keys(errors).length) return refuseForm(ctx, errors, back)
    const survivor = await findClient(survivorId)
    const duplicate = await findClient(duplicateId)
    try {
      const result = await mergeClients(survivor, duplicate)
      ctx.session.flash('success', ctx.i18n.t('invoicing.clients.merged_flash', { name: duplicate.name, contacts: result.movedContacts }))
    } catch (error) {
      if (!(error instanceof MergeRefusedError)) throw error
      return refuseForm(ctx, { duplicate_id: ctx.i18n.t(error.messageKey!) }, back)
    }
    return ctx.response.redirect(`${BASE}/${survivor.id}`)
  }
}
