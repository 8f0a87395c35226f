/* Fixtures for the payments specs: a tenant with an issued invoice and a Stripe account on the fake */
import { fixture, issued } from '#plugins/invoicing/tests/helpers/documents_ui'
import { invoiceSummary } from '#plugins/invoicing/public'
import { saveAccount } from '#plugins/payments/services/stripe_account'
import jobs from '#services/jobs'
import type { FakeStripe } from './fake_stripe.js'

export async function stripeTenant(fake: FakeStripe, options: { configure?: boolean } = {}) {
  const f = await fixture()
  const account = fake.addAccount(f.t.host, `Shop ${f.t.tenant.slug}`)
  if (options.configure !== false) {
    await f.t.run(() => saveAccount(f.t.tenant.id, { publishable_key: 'pk_test_abc123', secret_key: account.secretKey, webhook_secret: account.webhookSecret }))
  }
  const invoice = await issued(f)
  return { ...f, account, invoice }
}

export async function summaryOf(tenantId: number, invoiceId: number) {
  return (await invoiceSummary(tenantId, invoiceId))!
}

/** Runs the queued jobs (event processing, mail) in this process */
export async function drainJobs() {
  await jobs.drain({ timeoutMs: 20_000 })
}
