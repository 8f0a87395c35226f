/* payments:retry_failed_charges — retries declined off-session charges whose retry time has come (scheduled) */
import { retryDueCharges } from '#plugins/payments/services/auto_billing'

export default async function retryFailedChargesJob() {
  await retryDueCharges()
}
