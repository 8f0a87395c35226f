import type { HttpContext } from '@adonisjs/core/http'
import { errors as vineErrors } from '@vinejs/vine'
import { labelledMessages, wantsFragment } from '#controllers/settings/form_support'
import { contactValidator } from '../validators/parties.js'
import {
  addContact,
  contactsOf,
  deleteContact,
  findClient,
  findContact,
  updateContact,
  type ContactInput,
} from '../services/clients.js'
import type Client from '../models/client.js'

const LABELS: Record<string, string> = {
  first_name: 'invoicing.contacts.first_name',
  last_name: 'invoicing.contacts.last_name',
  email: 'invoicing.contacts.email',
  phone: 'invoicing.contacts.phone',
  role: 'invoicing.contacts.role',
}

/**
 * Contacts, managed inline on the client page: with HTMX each action answers the contacts
 * fragment (with field errors in place); without JavaScript it redirects back to the page.
 */
export default class ContactsController {
  private async fragment(ctx: HttpContext, client: Client, extra: Record<string, unknown> = {}) {
    return ctx.view.render('invoicing::partials/clients/contacts', {
      client,
      contacts: await contactsOf(client),
      editing: null,
      errors: {},
      values: {},
      ...extra,
    })
  }

  private done(ctx: HttpContext, client: Client, flash: string) {
    if (wantsFragment(ctx)) return this.fragment(ctx, client, { notice: ctx.i18n.t(flash) })
    ctx.session.flash('success', ctx.i18n.t(flash))
    return ctx.response.redirect(`/app/invoicing/clients/${client.id}#invoicing-clients-contacts`)
  }

  /** Validated input, or null after answering with the errors */
  private async input(ctx: HttpContext, client: Client, editing: number | null): Promise<ContactInput | null> {
    const data = { ...ctx.request.all(), is_primary: ['on', 'true', '1'].includes(String(ctx.request.input('is_primary'))) }
    try {
      return (await contactValidator.validate(data, { messagesProvider: labelledMessages(ctx.i18n, LABELS) })) as ContactInput
    } catch (error) {
      if (!(error instanceof vineErrors.E_VALIDATION_ERROR)) throw error
      if (wantsFragment(ctx)) {
        const errors: Record<string, string> = {}
        for (const m of error.messages as Array<{ field: string; message: string }>) errors[m.field] ??= m.message
        ctx.response.status(422)
        ctx.response.send(await this.fragment(ctx, client, { editing, errors, values: data }))
        return null
      }
      ctx.session.flashValidationErrors(error)
      if (editing) ctx.session.flash('editing_contact', editing)
      ctx.response.redirect(`/app/invoicing/clients/${client.id}${editing ? `/contacts/${editing}/edit` : ''}#invoicing-clients-contacts`)
      return null
    }
  }

  async store(ctx: HttpContext) {
    const client = await findClient(ctx.params.id)
    const input = await this.input(ctx, client, null)
    if (!input) return
    await addContact(client, input)
    return this.done(ctx, client, 'invoicing.contacts.added')
  }

  /** The contact's row as an edit form (a page of its own without JavaScript) */
  async edit(ctx: HttpContext) {
    const client = await findClient(ctx.params.id)
    const contact = await findContact(ctx.params.contactId, client)
    if (wantsFragment(ctx)) return this.fragment(ctx, client, { editing: ctx.request.qs().cancel ? null : contact.id })
    return ctx.view.render('invoicing::pages/clients/contact_edit', { client, contact })
  }

  async update(ctx: HttpContext) {
    const client = await findClient(ctx.params.id)
    const contact = await findContact(ctx.params.contactId, client)
    const input = await this.input(ctx, client, contact.id)
    if (!input) return
    await updateContact(contact, input)
    return this.done(ctx, client, 'invoicing.contacts.updated')
  }

  async destroy(ctx: HttpContext) {
    const client = await findClient(ctx.params.id)
    await deleteContact(await findContact(ctx.params.contactId, client))
    return this.done(ctx, client, 'invoicing.contacts.deleted')
  }
}
