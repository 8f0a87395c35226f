/*
| Base for mails sent on behalf of a tenant: branded layout, the recipient's language, and the
| action link kept on the instance so tests and the log listener can read it.
*/
import { BaseMail } from '@adonisjs/mail'
import type Tenant from '#models/tenant'
import { brandFor, translatorFor } from '#services/mail_service'

export interface TenantMailInput {
  to: string
  tenant: Tenant
  url: string
  locale?: string | null
}

export abstract class TenantMail extends BaseMail {
  /** Key prefix in resources/lang/<locale>/mail.json, e.g. "invitation" */
  protected abstract kind: string

  constructor(
    public input: TenantMailInput,
    protected data: Record<string, unknown> = {}
  ) {
    super()
  }

  get url() {
    return this.input.url
  }

  prepare() {
    const t = translatorFor(this.input.locale, this.input.tenant)
    const view = { ...this.data, t, url: this.input.url, brand: brandFor(this.input.tenant), kind: this.kind }
    this.message
      .to(this.input.to)
      .subject(t(`mail.${this.kind}_subject`, { tenant: this.input.tenant.name, ...this.data }))
      .htmlView('emails/action', view)
      .textView('emails/action_text', view)
  }
}
