/* The tenant's Stripe account: saving keys and checking the connection (GET /v1/account) */
import { DateTime } from 'luxon'
import StripeAccount from '../models/stripe_account.js'
import { stripeClient } from './stripe_client.js'

export async function accountOrNew(tenantId: number) {
  return (await StripeAccount.forTenant(tenantId).first()) ?? new StripeAccount().merge({ tenantId, livemode: false })
}

export async function saveAccount(tenantId: number, input: { publishable_key?: string; secret_key?: string; webhook_secret?: string }) {
  const account = await accountOrNew(tenantId)
  if (input.publishable_key !== undefined) account.publishableKey = input.publishable_key
  if (input.secret_key) {
    account.secretKey = input.secret_key
    account.livemode = input.secret_key.includes('_live_')
    account.merge({ checkStatus: null, checkError: null, checkedAt: null, accountId: null, accountName: null })
  }
  if (input.webhook_secret) account.webhookSecret = input.webhook_secret
  await account.save()
  return account
}

export async function checkConnection(tenantId: number) {
  const account = await accountOrNew(tenantId)
  const key = account.secretKey
  if (!key) return null
  try {
    const remote = await stripeClient(key).accounts.retrieveCurrent()
    account.merge({
      checkStatus: 'ok',
      checkError: null,
      accountId: remote.id,
      accountName: remote.settings?.dashboard?.display_name ?? remote.business_profile?.name ?? null,
    })
  } catch (error) {
    account.merge({ checkStatus: 'failed', checkError: (error as Error).message.slice(0, 500) })
  }
  account.checkedAt = DateTime.now()
  await account.save()
  return account
}
